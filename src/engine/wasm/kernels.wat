;; The forward pass's hottest loops with 128-bit SIMD (4 floats at a time).
;; All pointers are byte offsets into the model's memory; 0 means "none" (nothing is
;; ever placed at offset 0). Rows of W are contiguous; cols must be a multiple of 4.
(module
  (import "env" "memory" (memory 1))

  ;; W (rows, cols) f32 @ x (cols,) + bias (rows,) -> out (rows,)
  ;; Four rows at a time share each load of x.
  (func (export "matvec_f32")
    (param $out i32) (param $w i32) (param $x i32) (param $bias i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $rowBytes i32) (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $rowBytes)))
        (local.set $w2 (i32.add (local.get $w1) (local.get $rowBytes)))
        (local.set $w3 (i32.add (local.get $w2) (local.get $rowBytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (block $cols_done
          (loop $cols_loop
            (br_if $cols_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (local.set $xv (v128.load (i32.add (local.get $x) (local.get $c))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $w0) (local.get $c))) (local.get $xv))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load (i32.add (local.get $w1) (local.get $c))) (local.get $xv))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load (i32.add (local.get $w2) (local.get $c))) (local.get $xv))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load (i32.add (local.get $w3) (local.get $c))) (local.get $xv))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $cols_loop)))
        (call $store4 (local.get $out) (local.get $bias) (local.get $r) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $blocks)))
    ;; the last rows, one at a time
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (block $c_done
          (loop $c_loop
            (br_if $c_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (local.set $a0 (f32x4.add (local.get $a0)
              (f32x4.mul (v128.load (i32.add (local.get $w0) (local.get $c))) (v128.load (i32.add (local.get $x) (local.get $c))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $c_loop)))
        (call $store (local.get $out) (local.get $bias) (local.get $r) (local.get $a0))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; out[r] = sum of the 4 lanes (+ bias[r])
  (func $store (param $out i32) (param $bias i32) (param $r i32) (param $acc v128)
    (local $sum f32)
    (local.set $sum (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
    (if (local.get $bias)
      (then (local.set $sum (f32.add (local.get $sum) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))))))))
    (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (local.get $sum)))

  ;; W (rows, cols) int8 with scale (rows,) f32 @ x (cols,) + bias -> out (rows,)
  (func (export "matvec_i8")
    (param $out i32) (param $w i32) (param $scale i32) (param $x i32) (param $bias i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $row i32) (local $acc v128) (local $sum f32)
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $cols))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (block $c_done
          (loop $c_loop
            (br_if $c_done (i32.ge_u (local.get $c) (local.get $cols)))
            ;; 4 int8 weights -> 4 floats
            (local.set $acc (f32x4.add (local.get $acc)
              (f32x4.mul
                (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (i16x8.extend_low_i8x16_s
                  (v128.load32_zero (i32.add (local.get $row) (local.get $c))))))
                (v128.load (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $c_loop)))
        (local.set $sum (f32.mul
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))
          (f32.load (i32.add (local.get $scale) (i32.shl (local.get $r) (i32.const 2))))))
        (if (local.get $bias)
          (then (local.set $sum (f32.add (local.get $sum) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))))))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (local.get $sum))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))
;; scores[t] = (q . k_t) * scale for t < n; k_t = k + t * stride (bytes); hs % 4 == 0
  (func (export "attn_scores")
    (param $scores i32) (param $q i32) (param $k i32) (param $stride i32) (param $hs i32) (param $n i32) (param $scale f32)
    (local $t i32) (local $i i32) (local $kt i32) (local $acc v128) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $hs) (i32.const 2)))
    (local.set $kt (local.get $k))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $i_done
          (loop $i_loop
            (br_if $i_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (local.set $acc (f32x4.add (local.get $acc)
              (f32x4.mul (v128.load (i32.add (local.get $q) (local.get $i))) (v128.load (i32.add (local.get $kt) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $i_loop)))
        (f32.store (i32.add (local.get $scores) (i32.shl (local.get $t) (i32.const 2)))
          (f32.mul (local.get $scale) (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
        (local.set $kt (i32.add (local.get $kt) (local.get $stride)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each))))

  ;; out (hs,) = sum over t < n of weights[t] * v_t; v_t = v + t * stride (bytes); hs % 4 == 0
  (func (export "attn_mix")
    (param $out i32) (param $weights i32) (param $v i32) (param $stride i32) (param $hs i32) (param $n i32)
    (local $t i32) (local $i i32) (local $vt i32) (local $a v128) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $hs) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $zero_done
      (loop $zero
        (br_if $zero_done (i32.ge_u (local.get $i) (local.get $bytes)))
        (v128.store (i32.add (local.get $out) (local.get $i)) (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $zero)))
    (local.set $vt (local.get $v))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $a (f32x4.splat (f32.load (i32.add (local.get $weights) (i32.shl (local.get $t) (i32.const 2))))))
        (local.set $i (i32.const 0))
        (block $i_done
          (loop $i_loop
            (br_if $i_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (v128.store (i32.add (local.get $out) (local.get $i))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $i)))
                (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $vt) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $i_loop)))
        (local.set $vt (i32.add (local.get $vt) (local.get $stride)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each))))
;; W (rows, cols) f32 @ X (n, cols) -> out (n, rows), + bias (rows,). Prefill: a block of
  ;; 4 weight rows is multiplied with 2 inputs at once (8 accumulators), so each load of W or
  ;; X feeds 2 or 4 multiply-adds; the block stays in the L1 cache across all n inputs.
  (func (export "matmul_f32")
    (param $out i32) (param $w i32) (param $x i32) (param $bias i32) (param $rows i32) (param $cols i32) (param $n i32)
    (local $r i32) (local $b i32) (local $c i32) (local $rowBytes i32) (local $outRowBytes i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $xb i32) (local $xb1 i32) (local $ob i32) (local $ob1 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $xv v128) (local $yv v128) (local $wv v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $outRowBytes (i32.shl (local.get $rows) (i32.const 2)))
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $rowBytes)))
        (local.set $w2 (i32.add (local.get $w1) (local.get $rowBytes)))
        (local.set $w3 (i32.add (local.get $w2) (local.get $rowBytes)))
        (local.set $b (i32.const 0))
        ;; two inputs at a time
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.gt_u (i32.add (local.get $b) (i32.const 2)) (local.get $n)))
            (local.set $xb (i32.add (local.get $x) (i32.mul (local.get $b) (local.get $rowBytes))))
            (local.set $xb1 (i32.add (local.get $xb) (local.get $rowBytes)))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $b0 (v128.const i32x4 0 0 0 0))
            (local.set $b1 (v128.const i32x4 0 0 0 0))
            (local.set $b2 (v128.const i32x4 0 0 0 0))
            (local.set $b3 (v128.const i32x4 0 0 0 0))
            (local.set $c (i32.const 0))
            (block $cols_done
              (loop $cols_loop
                (br_if $cols_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
                (local.set $xv (v128.load (i32.add (local.get $xb) (local.get $c))))
                (local.set $yv (v128.load (i32.add (local.get $xb1) (local.get $c))))
                (local.set $wv (v128.load (i32.add (local.get $w0) (local.get $c))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $wv) (local.get $xv))))
                (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $wv) (local.get $yv))))
                (local.set $wv (v128.load (i32.add (local.get $w1) (local.get $c))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $wv) (local.get $xv))))
                (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $wv) (local.get $yv))))
                (local.set $wv (v128.load (i32.add (local.get $w2) (local.get $c))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $wv) (local.get $xv))))
                (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $wv) (local.get $yv))))
                (local.set $wv (v128.load (i32.add (local.get $w3) (local.get $c))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $wv) (local.get $xv))))
                (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $wv) (local.get $yv))))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $cols_loop)))
            (local.set $ob (i32.add (local.get $out) (i32.mul (local.get $b) (local.get $outRowBytes))))
            (local.set $ob1 (i32.add (local.get $ob) (local.get $outRowBytes)))
            (call $store4 (local.get $ob) (local.get $bias) (local.get $r) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3))
            (call $store4 (local.get $ob1) (local.get $bias) (local.get $r) (local.get $b0) (local.get $b1) (local.get $b2) (local.get $b3))
            (local.set $b (i32.add (local.get $b) (i32.const 2)))
            (br $pairs)))
        ;; an odd last input
        (if (i32.lt_u (local.get $b) (local.get $n))
          (then
            (local.set $xb (i32.add (local.get $x) (i32.mul (local.get $b) (local.get $rowBytes))))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $c (i32.const 0))
            (block $cols_done
              (loop $cols_loop
                (br_if $cols_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
                (local.set $xv (v128.load (i32.add (local.get $xb) (local.get $c))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $w0) (local.get $c))) (local.get $xv))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load (i32.add (local.get $w1) (local.get $c))) (local.get $xv))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load (i32.add (local.get $w2) (local.get $c))) (local.get $xv))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load (i32.add (local.get $w3) (local.get $c))) (local.get $xv))))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $cols_loop)))
            (call $store4 (i32.add (local.get $out) (i32.mul (local.get $b) (local.get $outRowBytes))) (local.get $bias) (local.get $r)
              (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3))))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $blocks)))
    ;; the last rows (rows % 4), one input at a time
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $b (i32.const 0))
        (block $in_done
          (loop $in
            (br_if $in_done (i32.ge_u (local.get $b) (local.get $n)))
            (local.set $xb (i32.add (local.get $x) (i32.mul (local.get $b) (local.get $rowBytes))))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $c (i32.const 0))
            (block $c_done
              (loop $c_loop
                (br_if $c_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
                (local.set $a0 (f32x4.add (local.get $a0)
                  (f32x4.mul (v128.load (i32.add (local.get $w0) (local.get $c))) (v128.load (i32.add (local.get $xb) (local.get $c))))))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $c_loop)))
            (call $store (i32.add (local.get $out) (i32.mul (local.get $b) (local.get $outRowBytes))) (local.get $bias) (local.get $r) (local.get $a0))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $in)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; out[r..r+4) = the lane sums of a0..a3 (+ bias[r..r+4)): one transpose-and-add, one store.
  (func $store4 (param $out i32) (param $bias i32) (param $r i32) (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128)
    (local $s v128) (local $at i32)
    ;; [a0.0+a0.2, a0.1+a0.3, a1.0+a1.2, a1.1+a1.3] and the same for a2, a3
    (local.set $a0 (f32x4.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
                              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
    (local.set $a2 (f32x4.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
                              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
    ;; [sum a0, sum a1, sum a2, sum a3]
    (local.set $s (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a0) (local.get $a2))
                             (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a0) (local.get $a2))))
    (local.set $at (i32.shl (local.get $r) (i32.const 2)))
    (if (local.get $bias)
      (then (local.set $s (f32x4.add (local.get $s) (v128.load (i32.add (local.get $bias) (local.get $at)))))))
    (v128.store (i32.add (local.get $out) (local.get $at)) (local.get $s)))

  ;; e^x for 4 lanes: x = n ln 2 + r with |r| <= ln2 / 2, e^x = 2^n e^r, e^r by its Taylor
  ;; polynomial of degree 7 (relative error below 2e-7, like float32 rounding itself).
  ;; Inputs are clamped to [-87, 88] so the result is a normal float, never inf or NaN; below
  ;; -87 it is 0 (e^-87 is already under float32's smallest normal number).
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $keep v128)
    (local.set $keep (f32x4.ge (local.get $x) (f32x4.splat (f32.const -87))))
    (local.set $x (f32x4.max (f32x4.min (local.get $x) (f32x4.splat (f32.const 88))) (f32x4.splat (f32.const -87))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
    ;; r = x - n ln2, with ln 2 split in two so that n * hi is exact
    (local.set $r (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
                             (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.98412698e-4)))  ;; 1/7!
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.38888889e-3))))  ;; 1/6!
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.33333333e-3))))  ;; 1/5!
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.16666667e-2))))  ;; 1/4!
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.66666667e-1))))  ;; 1/3!
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    ;; 2^n: n + 127 in the exponent bits
    (v128.and (local.get $keep) (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23)))))

  ;; GELU, tanh form (GPT-2's gelu_new), in place on x[0..n), n % 4 == 0:
  ;; 0.5 v (1 + tanh(u)) = v / (1 + e^(-2u)), u = sqrt(2/pi) (v + 0.044715 v^3)
  (func (export "gelu_f32") (param $x i32) (param $n i32)
    (local $end i32) (local $v v128) (local $u v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        ;; -2u = v * (-2 sqrt(2/pi)) * (1 + 0.044715 v^2)
        (local.set $u (f32x4.mul (f32x4.mul (local.get $v) (f32x4.splat (f32.const -1.5957691216057308)))
          (f32x4.add (f32x4.splat (f32.const 1)) (f32x4.mul (f32x4.splat (f32.const 0.044715)) (f32x4.mul (local.get $v) (local.get $v))))))
        (v128.store (local.get $x)
          (f32x4.div (local.get $v) (f32x4.add (f32x4.splat (f32.const 1)) (call $exp4 (local.get $u)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $each))))

  ;; softmax of x[0..n) -> out[0..n) (out may be x): max, then e^(x - max) and their sum,
  ;; then scale. Any n: the last n % 4 entries go one at a time through lane 0.
  (func (export "softmax_f32") (param $out i32) (param $x i32) (param $n i32)
    (local $i i32) (local $bytes i32) (local $body i32) (local $m v128) (local $max f32) (local $sum v128) (local $e v128) (local $total f32) (local $inv v128)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $body (i32.and (local.get $bytes) (i32.const -16)))
    ;; max
    (local.set $m (f32x4.splat (f32.const -inf)))
    (local.set $i (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $body)))
      (local.set $m (f32x4.max (local.get $m) (v128.load (i32.add (local.get $x) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l)))
    (local.set $max (f32.max (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
                             (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $max (f32.max (local.get $max) (f32.load (i32.add (local.get $x) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (local.set $m (f32x4.splat (local.get $max)))
    ;; e^(x - max), summed
    (local.set $sum (v128.const i32x4 0 0 0 0))
    (local.set $i (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $body)))
      (local.set $e (call $exp4 (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $m))))
      (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $e))
      (local.set $sum (f32x4.add (local.get $sum) (local.get $e)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l)))
    (local.set $total (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
                               (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $e (call $exp4 (f32x4.splat (f32.sub (f32.load (i32.add (local.get $x) (local.get $i))) (local.get $max)))))
      (f32.store (i32.add (local.get $out) (local.get $i)) (f32x4.extract_lane 0 (local.get $e)))
      (local.set $total (f32.add (local.get $total) (f32x4.extract_lane 0 (local.get $e))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    ;; scale by 1 / sum
    (local.set $inv (f32x4.splat (f32.div (f32.const 1) (local.get $total))))
    (local.set $i (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $body)))
      (v128.store (i32.add (local.get $out) (local.get $i)) (f32x4.mul (v128.load (i32.add (local.get $out) (local.get $i))) (local.get $inv)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $out) (local.get $i)) (f32.mul (f32.load (i32.add (local.get $out) (local.get $i))) (f32x4.extract_lane 0 (local.get $inv))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l))))
;; ---- GGUF quantised weights (src/engine/quantDot.ts is the reference) ----
  ;; W (rows of nb blocks of 32) @ X for n activation rows already quantised to int8 blocks:
  ;; xq (n, nb * 32) int8, xd (n, nb) f32 block scales, xs (n, nb) f32 F16(d * sum q) (Q4_1 only).
  ;; out[b * outStride + r] = sum over blocks of scale_w * xd * (q_w . q_x) (+ m_w * xs) + bias[r].
  ;; type 0: Q8_0 (34-byte blocks: F16 d, 32 int8), 1: Q4_0 (18: F16 d, 16 bytes of nibbles,
  ;; value q - 8), 2: Q4_1 (20: F16 d, F16 m, nibbles). Nibble byte i holds values i (low) and
  ;; i + 16 (high). The integer dot product of a block is exact (i32x4.dot_i16x8_s).
  (func (export "matmul_q4q8")
    (param $type i32) (param $out i32) (param $w i32) (param $rowBytes i32) (param $rows i32)
    (param $xq i32) (param $xd i32) (param $xs i32) (param $nb i32) (param $n i32) (param $outStride i32) (param $bias i32)
    (local $r i32) (local $b i32) (local $k i32) (local $wp i32) (local $xp i32) (local $dp i32) (local $sp i32)
    (local $blockBytes i32) (local $acc v128) (local $qs v128) (local $a0 v128) (local $a1 v128) (local $mins f32) (local $sum f32)
    (local.set $blockBytes (select (i32.const 34) (select (i32.const 18) (i32.const 20) (i32.eq (local.get $type) (i32.const 1))) (i32.eqz (local.get $type))))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $b (i32.const 0))
        (block $batch_done
          (loop $batch_loop
            (br_if $batch_done (i32.ge_u (local.get $b) (local.get $n)))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $xp (i32.add (local.get $xq) (i32.mul (local.get $b) (i32.shl (local.get $nb) (i32.const 5)))))
            (local.set $dp (i32.add (local.get $xd) (i32.mul (local.get $b) (i32.shl (local.get $nb) (i32.const 2)))))
            (local.set $sp (i32.add (local.get $xs) (i32.mul (local.get $b) (i32.shl (local.get $nb) (i32.const 2)))))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $mins (f32.const 0))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (if (i32.eqz (local.get $type))
                  (then
                    (local.set $a0 (v128.load (i32.add (local.get $wp) (i32.const 2))))
                    (local.set $a1 (v128.load (i32.add (local.get $wp) (i32.const 18)))))
                  (else
                    (if (i32.eq (local.get $type) (i32.const 1))
                      (then
                        (local.set $qs (v128.load (i32.add (local.get $wp) (i32.const 2))))
                        (local.set $a0 (i8x16.sub (v128.and (local.get $qs) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8)))
                        (local.set $a1 (i8x16.sub (i8x16.shr_u (local.get $qs) (i32.const 4)) (v128.const i8x16 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8))))
                      (else
                        (local.set $qs (v128.load (i32.add (local.get $wp) (i32.const 4))))
                        (local.set $a0 (v128.and (local.get $qs) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                        (local.set $a1 (i8x16.shr_u (local.get $qs) (i32.const 4)))
                        ;; x = d q + m: the min meets the activation block's sum
                        (local.set $mins (f32.add (local.get $mins)
                          (f32.mul (call $half (i32.load16_u offset=2 (local.get $wp))) (f32.load (local.get $sp)))))))))
                (local.set $acc (f32x4.add (local.get $acc)
                  (f32x4.mul
                    (f32x4.convert_i32x4_s (call $dot32 (local.get $a0) (local.get $a1) (v128.load (local.get $xp)) (v128.load offset=16 (local.get $xp))))
                    (f32x4.splat (f32.mul (call $half (i32.load16_u (local.get $wp))) (f32.load (local.get $dp)))))))
                (local.set $wp (i32.add (local.get $wp) (local.get $blockBytes)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
                (local.set $dp (i32.add (local.get $dp) (i32.const 4)))
                (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (local.set $sum (f32.add (local.get $mins) (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
              (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
            (if (local.get $bias)
              (then (local.set $sum (f32.add (local.get $sum) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))))))))
            (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $outStride)) (local.get $r)) (i32.const 2))) (local.get $sum))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $batch_loop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; 32 int8 weights (a0: values 0..15, a1: 16..31) . 32 int8 activations -> 4 partial int32 sums
  (func $dot32 (param $a0 v128) (param $a1 v128) (param $x0 v128) (param $x1 v128) (result v128)
    (i32x4.add
      (i32x4.add
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $a0)) (i16x8.extend_low_i8x16_s (local.get $x0)))
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $a0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
      (i32x4.add
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $a1)) (i16x8.extend_low_i8x16_s (local.get $x1)))
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $a1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))

  ;; IEEE half -> single: the magnitude bits shifted into place and scaled by 2^112 (exact for
  ;; normal and subnormal halves; block scales are never infinite or NaN), then the sign.
  (func $half (param $h i32) (result f32)
    (f32.copysign
      (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.get $h) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112))
      (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
)
