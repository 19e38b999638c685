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
  ;; W (rows of nb blocks of 32 values) @ X for n activation rows already quantised to int8
  ;; blocks and widened to int16: xq (n, nb * 32) i16, xd (n, nb) f32 block scales, xs (n, nb)
  ;; f32 F16(d * sum q) (Q4_1 only). out[b * outStride + r] = sum over blocks of
  ;; scale_w * xd * (q_w . q_x) (+ m_w * xs) + bias[r]. Nibble byte i holds values i (low)
  ;; and i + 16 (high). A block's integer dot product is exact (i32x4.dot_i16x8_s); each
  ;; weight block is unpacked once for up to four tokens. F16 block scales are widened inline:
  ;; the magnitude bits shifted into place and scaled by 2^112 (exact for normal and subnormal
  ;; halves; block scales are never infinite or NaN), then the sign.
  ;; Q8_0: 34-byte blocks, F16 d then 32 int8
  (func (export "matmul_q8_0")
    (param $out i32) (param $w i32) (param $rowBytes i32) (param $rows i32)
    (param $xq i32) (param $xd i32) (param $xs i32) (param $nb i32) (param $n i32) (param $outStride i32) (param $bias i32)
    (local $r i32) (local $b i32) (local $k i32) (local $wp i32) (local $xStride i32)
    (local $a0 v128) (local $a1 v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $dw f32) (local $mw f32) (local $h i32)
    (local $x0 i32) (local $d0 i32) (local $s0 i32) (local $acc0 v128) (local $m0 f32) (local $x1 i32) (local $d1 i32) (local $s1 i32) (local $acc1 v128) (local $m1 f32) (local $x2 i32) (local $d2 i32) (local $s2 i32) (local $acc2 v128) (local $m2 f32) (local $x3 i32) (local $d3 i32) (local $s3 i32) (local $acc3 v128) (local $m3 f32)
    (local.set $xStride (i32.shl (local.get $nb) (i32.const 6)))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $b (i32.const 0))
        ;; four tokens at a time share each unpacked weight block (prefill)
        (block $fours_done
          (loop $fours
            (br_if $fours_done (i32.gt_u (i32.add (local.get $b) (i32.const 4)) (local.get $n)))
            (local.set $x0 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $xStride))))
            (local.set $d0 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $nb)) (i32.const 2))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $m0 (f32.const 0))
            (local.set $x1 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 1)) (local.get $xStride))))
            (local.set $d1 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 1)) (local.get $nb)) (i32.const 2))))
            (local.set $acc1 (v128.const i32x4 0 0 0 0))
            (local.set $m1 (f32.const 0))
            (local.set $x2 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 2)) (local.get $xStride))))
            (local.set $d2 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 2)) (local.get $nb)) (i32.const 2))))
            (local.set $acc2 (v128.const i32x4 0 0 0 0))
            (local.set $m2 (f32.const 0))
            (local.set $x3 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 3)) (local.get $xStride))))
            (local.set $d3 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 3)) (local.get $nb)) (i32.const 2))))
            (local.set $acc3 (v128.const i32x4 0 0 0 0))
            (local.set $m3 (f32.const 0))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $a0 (v128.load offset=2 (local.get $wp)))
                (local.set $a1 (v128.load offset=18 (local.get $wp)))
                (local.set $w0 (i16x8.extend_low_i8x16_s (local.get $a0)))
                (local.set $w1 (i16x8.extend_high_i8x16_s (local.get $a0)))
                (local.set $w2 (i16x8.extend_low_i8x16_s (local.get $a1)))
                (local.set $w3 (i16x8.extend_high_i8x16_s (local.get $a1)))
                (local.set $dw (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x0))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x0))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d0)))))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x1))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x1))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x1))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x1))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d1)))))))
                (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x2))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x2))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x2))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x2))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d2)))))))
                (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x3))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x3))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x3))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x3))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d3)))))))
                (local.set $x0 (i32.add (local.get $x0) (i32.const 64)))
                (local.set $d0 (i32.add (local.get $d0) (i32.const 4)))
                (local.set $x1 (i32.add (local.get $x1) (i32.const 64)))
                (local.set $d1 (i32.add (local.get $d1) (i32.const 4)))
                (local.set $x2 (i32.add (local.get $x2) (i32.const 64)))
                (local.set $d2 (i32.add (local.get $d2) (i32.const 4)))
                (local.set $x3 (i32.add (local.get $x3) (i32.const 64)))
                (local.set $d3 (i32.add (local.get $d3) (i32.const 4)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 34)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 0)) (local.get $outStride) (local.get $acc0) (local.get $m0))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 1)) (local.get $outStride) (local.get $acc1) (local.get $m1))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 2)) (local.get $outStride) (local.get $acc2) (local.get $m2))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 3)) (local.get $outStride) (local.get $acc3) (local.get $m3))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $fours)))
        (block $ones_done
          (loop $ones
            (br_if $ones_done (i32.ge_u (local.get $b) (local.get $n)))
            (local.set $x0 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $xStride))))
            (local.set $d0 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $nb)) (i32.const 2))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $m0 (f32.const 0))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $a0 (v128.load offset=2 (local.get $wp)))
                (local.set $a1 (v128.load offset=18 (local.get $wp)))
                (local.set $w0 (i16x8.extend_low_i8x16_s (local.get $a0)))
                (local.set $w1 (i16x8.extend_high_i8x16_s (local.get $a0)))
                (local.set $w2 (i16x8.extend_low_i8x16_s (local.get $a1)))
                (local.set $w3 (i16x8.extend_high_i8x16_s (local.get $a1)))
                (local.set $dw (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x0))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x0))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d0)))))))
                (local.set $x0 (i32.add (local.get $x0) (i32.const 64)))
                (local.set $d0 (i32.add (local.get $d0) (i32.const 4)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 34)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 0)) (local.get $outStride) (local.get $acc0) (local.get $m0))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $ones)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; Q4_0: 18-byte blocks, F16 d then 16 bytes of nibbles, value q - 8
  (func (export "matmul_q4_0")
    (param $out i32) (param $w i32) (param $rowBytes i32) (param $rows i32)
    (param $xq i32) (param $xd i32) (param $xs i32) (param $nb i32) (param $n i32) (param $outStride i32) (param $bias i32)
    (local $r i32) (local $b i32) (local $k i32) (local $wp i32) (local $xStride i32)
    (local $a0 v128) (local $a1 v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $dw f32) (local $mw f32) (local $h i32)
    (local $x0 i32) (local $d0 i32) (local $s0 i32) (local $acc0 v128) (local $m0 f32) (local $x1 i32) (local $d1 i32) (local $s1 i32) (local $acc1 v128) (local $m1 f32) (local $x2 i32) (local $d2 i32) (local $s2 i32) (local $acc2 v128) (local $m2 f32) (local $x3 i32) (local $d3 i32) (local $s3 i32) (local $acc3 v128) (local $m3 f32)
    (local.set $xStride (i32.shl (local.get $nb) (i32.const 6)))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $b (i32.const 0))
        ;; four tokens at a time share each unpacked weight block (prefill)
        (block $fours_done
          (loop $fours
            (br_if $fours_done (i32.gt_u (i32.add (local.get $b) (i32.const 4)) (local.get $n)))
            (local.set $x0 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $xStride))))
            (local.set $d0 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $nb)) (i32.const 2))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $m0 (f32.const 0))
            (local.set $x1 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 1)) (local.get $xStride))))
            (local.set $d1 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 1)) (local.get $nb)) (i32.const 2))))
            (local.set $acc1 (v128.const i32x4 0 0 0 0))
            (local.set $m1 (f32.const 0))
            (local.set $x2 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 2)) (local.get $xStride))))
            (local.set $d2 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 2)) (local.get $nb)) (i32.const 2))))
            (local.set $acc2 (v128.const i32x4 0 0 0 0))
            (local.set $m2 (f32.const 0))
            (local.set $x3 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 3)) (local.get $xStride))))
            (local.set $d3 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 3)) (local.get $nb)) (i32.const 2))))
            (local.set $acc3 (v128.const i32x4 0 0 0 0))
            (local.set $m3 (f32.const 0))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $a0 (v128.load offset=2 (local.get $wp)))
                (local.set $a1 (i8x16.sub (v128.and (i16x8.shr_u (local.get $a0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8)))
                (local.set $a0 (i8x16.sub (v128.and (local.get $a0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8)))
                (local.set $w0 (i16x8.extend_low_i8x16_s (local.get $a0)))
                (local.set $w1 (i16x8.extend_high_i8x16_s (local.get $a0)))
                (local.set $w2 (i16x8.extend_low_i8x16_s (local.get $a1)))
                (local.set $w3 (i16x8.extend_high_i8x16_s (local.get $a1)))
                (local.set $dw (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x0))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x0))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d0)))))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x1))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x1))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x1))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x1))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d1)))))))
                (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x2))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x2))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x2))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x2))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d2)))))))
                (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x3))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x3))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x3))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x3))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d3)))))))
                (local.set $x0 (i32.add (local.get $x0) (i32.const 64)))
                (local.set $d0 (i32.add (local.get $d0) (i32.const 4)))
                (local.set $x1 (i32.add (local.get $x1) (i32.const 64)))
                (local.set $d1 (i32.add (local.get $d1) (i32.const 4)))
                (local.set $x2 (i32.add (local.get $x2) (i32.const 64)))
                (local.set $d2 (i32.add (local.get $d2) (i32.const 4)))
                (local.set $x3 (i32.add (local.get $x3) (i32.const 64)))
                (local.set $d3 (i32.add (local.get $d3) (i32.const 4)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 18)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 0)) (local.get $outStride) (local.get $acc0) (local.get $m0))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 1)) (local.get $outStride) (local.get $acc1) (local.get $m1))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 2)) (local.get $outStride) (local.get $acc2) (local.get $m2))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 3)) (local.get $outStride) (local.get $acc3) (local.get $m3))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $fours)))
        (block $ones_done
          (loop $ones
            (br_if $ones_done (i32.ge_u (local.get $b) (local.get $n)))
            (local.set $x0 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $xStride))))
            (local.set $d0 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $nb)) (i32.const 2))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $m0 (f32.const 0))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $a0 (v128.load offset=2 (local.get $wp)))
                (local.set $a1 (i8x16.sub (v128.and (i16x8.shr_u (local.get $a0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8)))
                (local.set $a0 (i8x16.sub (v128.and (local.get $a0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8)))
                (local.set $w0 (i16x8.extend_low_i8x16_s (local.get $a0)))
                (local.set $w1 (i16x8.extend_high_i8x16_s (local.get $a0)))
                (local.set $w2 (i16x8.extend_low_i8x16_s (local.get $a1)))
                (local.set $w3 (i16x8.extend_high_i8x16_s (local.get $a1)))
                (local.set $dw (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x0))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x0))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d0)))))))
                (local.set $x0 (i32.add (local.get $x0) (i32.const 64)))
                (local.set $d0 (i32.add (local.get $d0) (i32.const 4)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 18)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 0)) (local.get $outStride) (local.get $acc0) (local.get $m0))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $ones)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; Q4_1: 20-byte blocks, F16 d, F16 m, nibbles: value d q + m (the min meets the block sum)
  (func (export "matmul_q4_1")
    (param $out i32) (param $w i32) (param $rowBytes i32) (param $rows i32)
    (param $xq i32) (param $xd i32) (param $xs i32) (param $nb i32) (param $n i32) (param $outStride i32) (param $bias i32)
    (local $r i32) (local $b i32) (local $k i32) (local $wp i32) (local $xStride i32)
    (local $a0 v128) (local $a1 v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $dw f32) (local $mw f32) (local $h i32)
    (local $x0 i32) (local $d0 i32) (local $s0 i32) (local $acc0 v128) (local $m0 f32) (local $x1 i32) (local $d1 i32) (local $s1 i32) (local $acc1 v128) (local $m1 f32) (local $x2 i32) (local $d2 i32) (local $s2 i32) (local $acc2 v128) (local $m2 f32) (local $x3 i32) (local $d3 i32) (local $s3 i32) (local $acc3 v128) (local $m3 f32)
    (local.set $xStride (i32.shl (local.get $nb) (i32.const 6)))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $b (i32.const 0))
        ;; four tokens at a time share each unpacked weight block (prefill)
        (block $fours_done
          (loop $fours
            (br_if $fours_done (i32.gt_u (i32.add (local.get $b) (i32.const 4)) (local.get $n)))
            (local.set $x0 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $xStride))))
            (local.set $d0 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $nb)) (i32.const 2))))
            (local.set $s0 (i32.add (local.get $xs) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $nb)) (i32.const 2))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $m0 (f32.const 0))
            (local.set $x1 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 1)) (local.get $xStride))))
            (local.set $d1 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 1)) (local.get $nb)) (i32.const 2))))
            (local.set $s1 (i32.add (local.get $xs) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 1)) (local.get $nb)) (i32.const 2))))
            (local.set $acc1 (v128.const i32x4 0 0 0 0))
            (local.set $m1 (f32.const 0))
            (local.set $x2 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 2)) (local.get $xStride))))
            (local.set $d2 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 2)) (local.get $nb)) (i32.const 2))))
            (local.set $s2 (i32.add (local.get $xs) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 2)) (local.get $nb)) (i32.const 2))))
            (local.set $acc2 (v128.const i32x4 0 0 0 0))
            (local.set $m2 (f32.const 0))
            (local.set $x3 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 3)) (local.get $xStride))))
            (local.set $d3 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 3)) (local.get $nb)) (i32.const 2))))
            (local.set $s3 (i32.add (local.get $xs) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 3)) (local.get $nb)) (i32.const 2))))
            (local.set $acc3 (v128.const i32x4 0 0 0 0))
            (local.set $m3 (f32.const 0))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $a0 (v128.load offset=4 (local.get $wp)))
                (local.set $a1 (v128.and (i16x8.shr_u (local.get $a0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                (local.set $a0 (v128.and (local.get $a0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                (local.set $w0 (i16x8.extend_low_i8x16_u (local.get $a0)))
                (local.set $w1 (i16x8.extend_high_i8x16_u (local.get $a0)))
                (local.set $w2 (i16x8.extend_low_i8x16_u (local.get $a1)))
                (local.set $w3 (i16x8.extend_high_i8x16_u (local.get $a1)))
                (local.set $dw (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
                (local.set $mw (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u offset=2 (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x0))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x0))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d0)))))))
                (local.set $m0 (f32.add (local.get $m0) (f32.mul (local.get $mw) (f32.load (local.get $s0)))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x1))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x1))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x1))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x1))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d1)))))))
                (local.set $m1 (f32.add (local.get $m1) (f32.mul (local.get $mw) (f32.load (local.get $s1)))))
                (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x2))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x2))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x2))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x2))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d2)))))))
                (local.set $m2 (f32.add (local.get $m2) (f32.mul (local.get $mw) (f32.load (local.get $s2)))))
                (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x3))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x3))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x3))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x3))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d3)))))))
                (local.set $m3 (f32.add (local.get $m3) (f32.mul (local.get $mw) (f32.load (local.get $s3)))))
                (local.set $x0 (i32.add (local.get $x0) (i32.const 64)))
                (local.set $d0 (i32.add (local.get $d0) (i32.const 4)))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
                (local.set $x1 (i32.add (local.get $x1) (i32.const 64)))
                (local.set $d1 (i32.add (local.get $d1) (i32.const 4)))
                (local.set $s1 (i32.add (local.get $s1) (i32.const 4)))
                (local.set $x2 (i32.add (local.get $x2) (i32.const 64)))
                (local.set $d2 (i32.add (local.get $d2) (i32.const 4)))
                (local.set $s2 (i32.add (local.get $s2) (i32.const 4)))
                (local.set $x3 (i32.add (local.get $x3) (i32.const 64)))
                (local.set $d3 (i32.add (local.get $d3) (i32.const 4)))
                (local.set $s3 (i32.add (local.get $s3) (i32.const 4)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 20)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 0)) (local.get $outStride) (local.get $acc0) (local.get $m0))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 1)) (local.get $outStride) (local.get $acc1) (local.get $m1))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 2)) (local.get $outStride) (local.get $acc2) (local.get $m2))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 3)) (local.get $outStride) (local.get $acc3) (local.get $m3))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $fours)))
        (block $ones_done
          (loop $ones
            (br_if $ones_done (i32.ge_u (local.get $b) (local.get $n)))
            (local.set $x0 (i32.add (local.get $xq) (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $xStride))))
            (local.set $d0 (i32.add (local.get $xd) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $nb)) (i32.const 2))))
            (local.set $s0 (i32.add (local.get $xs) (i32.shl (i32.mul (i32.add (local.get $b) (i32.const 0)) (local.get $nb)) (i32.const 2))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $m0 (f32.const 0))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $a0 (v128.load offset=4 (local.get $wp)))
                (local.set $a1 (v128.and (i16x8.shr_u (local.get $a0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                (local.set $a0 (v128.and (local.get $a0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                (local.set $w0 (i16x8.extend_low_i8x16_u (local.get $a0)))
                (local.set $w1 (i16x8.extend_high_i8x16_u (local.get $a0)))
                (local.set $w2 (i16x8.extend_low_i8x16_u (local.get $a1)))
                (local.set $w3 (i16x8.extend_high_i8x16_u (local.get $a1)))
                (local.set $dw (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
                (local.set $mw (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u offset=2 (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.add
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w0) (v128.load (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w1) (v128.load offset=16 (local.get $x0))))
                    (i32x4.add (i32x4.dot_i16x8_s (local.get $w2) (v128.load offset=32 (local.get $x0))) (i32x4.dot_i16x8_s (local.get $w3) (v128.load offset=48 (local.get $x0))))))
                  (f32x4.splat (f32.mul (local.get $dw) (f32.load (local.get $d0)))))))
                (local.set $m0 (f32.add (local.get $m0) (f32.mul (local.get $mw) (f32.load (local.get $s0)))))
                (local.set $x0 (i32.add (local.get $x0) (i32.const 64)))
                (local.set $d0 (i32.add (local.get $d0) (i32.const 4)))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 20)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (i32.add (local.get $b) (i32.const 0)) (local.get $outStride) (local.get $acc0) (local.get $m0))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $ones)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; out[b * outStride + r] = the lanes of acc + mins (+ bias[r])
  (func $store_row (param $out i32) (param $bias i32) (param $r i32) (param $b i32) (param $outStride i32) (param $acc v128) (param $mins f32)
    (local $sum f32)
    (local.set $sum (f32.add (local.get $mins) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
    (if (local.get $bias)
      (then (local.set $sum (f32.add (local.get $sum) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))))))))
    (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $outStride)) (local.get $r)) (i32.const 2))) (local.get $sum)))

  ;; k-quants against Q8_K activations (256-value blocks, F32 scale xd, xsums: the int32 sum of
  ;; each 32 quants): the integer dot product of every 32 (or 16) values times its 6-bit (int8
  ;; for Q6_K) scale, summed in int32 over the block, then once the block's F16 d times xd.
  ;; Q4_K: F16 d, F16 dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles: d sc q - dmin mn
  (func (export "matmul_q4_K")
    (param $out i32) (param $w i32) (param $rowBytes i32) (param $rows i32)
    (param $xq i32) (param $xd i32) (param $xsums i32) (param $nb i32) (param $n i32) (param $outStride i32) (param $bias i32)
    (local $r i32) (local $b i32) (local $k i32) (local $wp i32) (local $x i32) (local $dk i32) (local $bs i32) (local $h i32)
    (local $q0 v128) (local $q1 v128) (local $h0 v128) (local $h1 v128) (local $isum v128) (local $msum i32)
    (local $acc v128) (local $mins f32) (local $dx f32)
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $b (i32.const 0))
        (block $batch_done
          (loop $batch
            (br_if $batch_done (i32.ge_u (local.get $b) (local.get $n)))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $x (i32.add (local.get $xq) (i32.mul (local.get $b) (i32.shl (local.get $nb) (i32.const 9)))))
            (local.set $dk (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $b) (local.get $nb)) (i32.const 2))))
            (local.set $bs (i32.add (local.get $xsums) (i32.shl (i32.mul (local.get $b) (local.get $nb)) (i32.const 5))))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $mins (f32.const 0))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $isum (v128.const i32x4 0 0 0 0))
                (local.set $msum (i32.const 0))
                (local.set $q0 (v128.load offset=16 (local.get $wp)))
                (local.set $q1 (v128.load offset=32 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=0 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=16 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=32 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=48 (local.get $x))))) (i32x4.splat (i32.and (i32.load8_u offset=4 (local.get $wp)) (i32.const 63))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.and (i32.load8_u offset=8 (local.get $wp)) (i32.const 63)) (i32.load offset=0 (local.get $bs)))))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=64 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=80 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=96 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=112 (local.get $x))))) (i32x4.splat (i32.and (i32.load8_u offset=5 (local.get $wp)) (i32.const 63))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.and (i32.load8_u offset=9 (local.get $wp)) (i32.const 63)) (i32.load offset=4 (local.get $bs)))))
                (local.set $q0 (v128.load offset=48 (local.get $wp)))
                (local.set $q1 (v128.load offset=64 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=128 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=144 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=160 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=176 (local.get $x))))) (i32x4.splat (i32.and (i32.load8_u offset=6 (local.get $wp)) (i32.const 63))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.and (i32.load8_u offset=10 (local.get $wp)) (i32.const 63)) (i32.load offset=8 (local.get $bs)))))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=192 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=208 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=224 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=240 (local.get $x))))) (i32x4.splat (i32.and (i32.load8_u offset=7 (local.get $wp)) (i32.const 63))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.and (i32.load8_u offset=11 (local.get $wp)) (i32.const 63)) (i32.load offset=12 (local.get $bs)))))
                (local.set $q0 (v128.load offset=80 (local.get $wp)))
                (local.set $q1 (v128.load offset=96 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=256 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=272 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=288 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=304 (local.get $x))))) (i32x4.splat (i32.or (i32.and (i32.load8_u offset=12 (local.get $wp)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=4 (local.get $wp)) (i32.const 6)) (i32.const 4)))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.or (i32.shr_u (i32.load8_u offset=12 (local.get $wp)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=8 (local.get $wp)) (i32.const 6)) (i32.const 4))) (i32.load offset=16 (local.get $bs)))))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=320 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=336 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=352 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=368 (local.get $x))))) (i32x4.splat (i32.or (i32.and (i32.load8_u offset=13 (local.get $wp)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=5 (local.get $wp)) (i32.const 6)) (i32.const 4)))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.or (i32.shr_u (i32.load8_u offset=13 (local.get $wp)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=9 (local.get $wp)) (i32.const 6)) (i32.const 4))) (i32.load offset=20 (local.get $bs)))))
                (local.set $q0 (v128.load offset=112 (local.get $wp)))
                (local.set $q1 (v128.load offset=128 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=384 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=400 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=416 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=432 (local.get $x))))) (i32x4.splat (i32.or (i32.and (i32.load8_u offset=14 (local.get $wp)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=6 (local.get $wp)) (i32.const 6)) (i32.const 4)))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.or (i32.shr_u (i32.load8_u offset=14 (local.get $wp)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=10 (local.get $wp)) (i32.const 6)) (i32.const 4))) (i32.load offset=24 (local.get $bs)))))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=448 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=464 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=480 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (v128.load offset=496 (local.get $x))))) (i32x4.splat (i32.or (i32.and (i32.load8_u offset=15 (local.get $wp)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=7 (local.get $wp)) (i32.const 6)) (i32.const 4)))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.or (i32.shr_u (i32.load8_u offset=15 (local.get $wp)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=11 (local.get $wp)) (i32.const 6)) (i32.const 4))) (i32.load offset=28 (local.get $bs)))))
                (local.set $dx (f32.load (local.get $dk)))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (local.get $isum)) (f32x4.splat (f32.mul (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))) (local.get $dx))))))
                (local.set $mins (f32.sub (local.get $mins) (f32.mul (f32.mul (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u offset=2 (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))) (local.get $dx)) (f32.convert_i32_s (local.get $msum)))))
                (local.set $wp (i32.add (local.get $wp) (i32.const 144)))
                (local.set $x (i32.add (local.get $x) (i32.const 512)))
                (local.set $dk (i32.add (local.get $dk) (i32.const 4)))
                (local.set $bs (i32.add (local.get $bs) (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (local.get $b) (local.get $outStride) (local.get $acc) (local.get $mins))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $batch)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; Q5_K: as Q4_K with 32 bytes of fifth bits (bit j of byte l: value l of sub-block j) before the nibbles
  (func (export "matmul_q5_K")
    (param $out i32) (param $w i32) (param $rowBytes i32) (param $rows i32)
    (param $xq i32) (param $xd i32) (param $xsums i32) (param $nb i32) (param $n i32) (param $outStride i32) (param $bias i32)
    (local $r i32) (local $b i32) (local $k i32) (local $wp i32) (local $x i32) (local $dk i32) (local $bs i32) (local $h i32)
    (local $q0 v128) (local $q1 v128) (local $h0 v128) (local $h1 v128) (local $isum v128) (local $msum i32)
    (local $acc v128) (local $mins f32) (local $dx f32)
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $b (i32.const 0))
        (block $batch_done
          (loop $batch
            (br_if $batch_done (i32.ge_u (local.get $b) (local.get $n)))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $x (i32.add (local.get $xq) (i32.mul (local.get $b) (i32.shl (local.get $nb) (i32.const 9)))))
            (local.set $dk (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $b) (local.get $nb)) (i32.const 2))))
            (local.set $bs (i32.add (local.get $xsums) (i32.shl (i32.mul (local.get $b) (local.get $nb)) (i32.const 5))))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $mins (f32.const 0))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $isum (v128.const i32x4 0 0 0 0))
                (local.set $msum (i32.const 0))
                (local.set $h0 (v128.load offset=16 (local.get $wp)))
                (local.set $h1 (v128.load offset=32 (local.get $wp)))
                (local.set $q0 (v128.load offset=48 (local.get $wp)))
                (local.set $q1 (v128.load offset=64 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=0 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=16 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=32 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=48 (local.get $x))))) (i32x4.splat (i32.and (i32.load8_u offset=4 (local.get $wp)) (i32.const 63))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.and (i32.load8_u offset=8 (local.get $wp)) (i32.const 63)) (i32.load offset=0 (local.get $bs)))))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 1)) (v128.const i8x16 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=64 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 1)) (v128.const i8x16 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=80 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 1)) (v128.const i8x16 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=96 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 1)) (v128.const i8x16 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=112 (local.get $x))))) (i32x4.splat (i32.and (i32.load8_u offset=5 (local.get $wp)) (i32.const 63))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.and (i32.load8_u offset=9 (local.get $wp)) (i32.const 63)) (i32.load offset=4 (local.get $bs)))))
                (local.set $q0 (v128.load offset=80 (local.get $wp)))
                (local.set $q1 (v128.load offset=96 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=128 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=144 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=160 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=176 (local.get $x))))) (i32x4.splat (i32.and (i32.load8_u offset=6 (local.get $wp)) (i32.const 63))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.and (i32.load8_u offset=10 (local.get $wp)) (i32.const 63)) (i32.load offset=8 (local.get $bs)))))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 3)) (v128.const i8x16 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=192 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 3)) (v128.const i8x16 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=208 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 3)) (v128.const i8x16 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=224 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 3)) (v128.const i8x16 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=240 (local.get $x))))) (i32x4.splat (i32.and (i32.load8_u offset=7 (local.get $wp)) (i32.const 63))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.and (i32.load8_u offset=11 (local.get $wp)) (i32.const 63)) (i32.load offset=12 (local.get $bs)))))
                (local.set $q0 (v128.load offset=112 (local.get $wp)))
                (local.set $q1 (v128.load offset=128 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=256 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=272 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=288 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=304 (local.get $x))))) (i32x4.splat (i32.or (i32.and (i32.load8_u offset=12 (local.get $wp)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=4 (local.get $wp)) (i32.const 6)) (i32.const 4)))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.or (i32.shr_u (i32.load8_u offset=12 (local.get $wp)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=8 (local.get $wp)) (i32.const 6)) (i32.const 4))) (i32.load offset=16 (local.get $bs)))))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 5)) (v128.const i8x16 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=320 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 5)) (v128.const i8x16 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=336 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 5)) (v128.const i8x16 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=352 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 5)) (v128.const i8x16 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=368 (local.get $x))))) (i32x4.splat (i32.or (i32.and (i32.load8_u offset=13 (local.get $wp)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=5 (local.get $wp)) (i32.const 6)) (i32.const 4)))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.or (i32.shr_u (i32.load8_u offset=13 (local.get $wp)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=9 (local.get $wp)) (i32.const 6)) (i32.const 4))) (i32.load offset=20 (local.get $bs)))))
                (local.set $q0 (v128.load offset=144 (local.get $wp)))
                (local.set $q1 (v128.load offset=160 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=384 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=400 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=416 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=432 (local.get $x))))) (i32x4.splat (i32.or (i32.and (i32.load8_u offset=14 (local.get $wp)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=6 (local.get $wp)) (i32.const 6)) (i32.const 4)))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.or (i32.shr_u (i32.load8_u offset=14 (local.get $wp)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=10 (local.get $wp)) (i32.const 6)) (i32.const 4))) (i32.load offset=24 (local.get $bs)))))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.mul (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 7)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=448 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 7)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=464 (local.get $x)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 7)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=480 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 7)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4)))) (v128.load offset=496 (local.get $x))))) (i32x4.splat (i32.or (i32.and (i32.load8_u offset=15 (local.get $wp)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=7 (local.get $wp)) (i32.const 6)) (i32.const 4)))))))
                (local.set $msum (i32.add (local.get $msum) (i32.mul (i32.or (i32.shr_u (i32.load8_u offset=15 (local.get $wp)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=11 (local.get $wp)) (i32.const 6)) (i32.const 4))) (i32.load offset=28 (local.get $bs)))))
                (local.set $dx (f32.load (local.get $dk)))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (local.get $isum)) (f32x4.splat (f32.mul (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))) (local.get $dx))))))
                (local.set $mins (f32.sub (local.get $mins) (f32.mul (f32.mul (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u offset=2 (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))) (local.get $dx)) (f32.convert_i32_s (local.get $msum)))))
                (local.set $wp (i32.add (local.get $wp) (i32.const 176)))
                (local.set $x (i32.add (local.get $x) (i32.const 512)))
                (local.set $dk (i32.add (local.get $dk) (i32.const 4)))
                (local.set $bs (i32.add (local.get $bs) (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (local.get $b) (local.get $outStride) (local.get $acc) (local.get $mins))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $batch)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; Q6_K: 128 bytes of low nibbles, 64 of high bit pairs, 16 int8 scales (one per 16 values), F16 d: d scale (q - 32)
  (func (export "matmul_q6_K")
    (param $out i32) (param $w i32) (param $rowBytes i32) (param $rows i32)
    (param $xq i32) (param $xd i32) (param $xsums i32) (param $nb i32) (param $n i32) (param $outStride i32) (param $bias i32)
    (local $r i32) (local $b i32) (local $k i32) (local $wp i32) (local $x i32) (local $dk i32) (local $bs i32) (local $h i32)
    (local $q0 v128) (local $q1 v128) (local $h0 v128) (local $h1 v128) (local $isum v128) (local $msum i32)
    (local $acc v128) (local $mins f32) (local $dx f32)
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $b (i32.const 0))
        (block $batch_done
          (loop $batch
            (br_if $batch_done (i32.ge_u (local.get $b) (local.get $n)))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $x (i32.add (local.get $xq) (i32.mul (local.get $b) (i32.shl (local.get $nb) (i32.const 9)))))
            (local.set $dk (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $b) (local.get $nb)) (i32.const 2))))
            (local.set $bs (i32.add (local.get $xsums) (i32.shl (i32.mul (local.get $b) (local.get $nb)) (i32.const 5))))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $mins (f32.const 0))
            (local.set $k (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.ge_u (local.get $k) (local.get $nb)))
                (local.set $isum (v128.const i32x4 0 0 0 0))
                (local.set $msum (i32.const 0))
                (local.set $h0 (v128.load offset=128 (local.get $wp)))
                (local.set $h1 (v128.load offset=144 (local.get $wp)))
                (local.set $q0 (v128.load offset=0 (local.get $wp)))
                (local.set $q1 (v128.load offset=16 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=0 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=16 (local.get $x)))) (i32x4.splat (i32.load8_s offset=192 (local.get $wp)))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=32 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=48 (local.get $x)))) (i32x4.splat (i32.load8_s offset=193 (local.get $wp)))))))
                (local.set $q0 (v128.load offset=32 (local.get $wp)))
                (local.set $q1 (v128.load offset=48 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=64 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=80 (local.get $x)))) (i32x4.splat (i32.load8_s offset=194 (local.get $wp)))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=96 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=112 (local.get $x)))) (i32x4.splat (i32.load8_s offset=195 (local.get $wp)))))))
                (local.set $q0 (v128.load offset=0 (local.get $wp)))
                (local.set $q1 (v128.load offset=16 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=128 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=144 (local.get $x)))) (i32x4.splat (i32.load8_s offset=196 (local.get $wp)))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=160 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=176 (local.get $x)))) (i32x4.splat (i32.load8_s offset=197 (local.get $wp)))))))
                (local.set $q0 (v128.load offset=32 (local.get $wp)))
                (local.set $q1 (v128.load offset=48 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=192 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=208 (local.get $x)))) (i32x4.splat (i32.load8_s offset=198 (local.get $wp)))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=224 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=240 (local.get $x)))) (i32x4.splat (i32.load8_s offset=199 (local.get $wp)))))))
                (local.set $h0 (v128.load offset=160 (local.get $wp)))
                (local.set $h1 (v128.load offset=176 (local.get $wp)))
                (local.set $q0 (v128.load offset=64 (local.get $wp)))
                (local.set $q1 (v128.load offset=80 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=256 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=272 (local.get $x)))) (i32x4.splat (i32.load8_s offset=200 (local.get $wp)))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=288 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 0)) (v128.const i8x16 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=304 (local.get $x)))) (i32x4.splat (i32.load8_s offset=201 (local.get $wp)))))))
                (local.set $q0 (v128.load offset=96 (local.get $wp)))
                (local.set $q1 (v128.load offset=112 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=320 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q0) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=336 (local.get $x)))) (i32x4.splat (i32.load8_s offset=202 (local.get $wp)))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=352 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (local.get $q1) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 2)) (v128.const i8x16 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63 63)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=368 (local.get $x)))) (i32x4.splat (i32.load8_s offset=203 (local.get $wp)))))))
                (local.set $q0 (v128.load offset=64 (local.get $wp)))
                (local.set $q1 (v128.load offset=80 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=384 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=400 (local.get $x)))) (i32x4.splat (i32.load8_s offset=204 (local.get $wp)))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=416 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=432 (local.get $x)))) (i32x4.splat (i32.load8_s offset=205 (local.get $wp)))))))
                (local.set $q0 (v128.load offset=96 (local.get $wp)))
                (local.set $q1 (v128.load offset=112 (local.get $wp)))
                (local.set $isum (i32x4.add (local.get $isum) (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=448 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q0) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h0) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=464 (local.get $x)))) (i32x4.splat (i32.load8_s offset=206 (local.get $wp)))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=480 (local.get $x))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (i8x16.sub (v128.or (v128.and (i16x8.shr_u (local.get $q1) (i32.const 4)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) (i16x8.shl (v128.and (v128.and (i16x8.shr_u (local.get $h1) (i32.const 6)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))) (v128.load offset=496 (local.get $x)))) (i32x4.splat (i32.load8_s offset=207 (local.get $wp)))))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (local.get $isum)) (f32x4.splat (f32.mul (f32.copysign (f32.mul (f32.reinterpret_i32 (i32.shl (i32.and (local.tee $h (i32.load16_u offset=208 (local.get $wp))) (i32.const 0x7fff)) (i32.const 13))) (f32.const 0x1p112)) (f32.reinterpret_i32 (i32.shl (local.get $h) (i32.const 16)))) (f32.load (local.get $dk)))))))
                (local.set $wp (i32.add (local.get $wp) (i32.const 210)))
                (local.set $x (i32.add (local.get $x) (i32.const 512)))
                (local.set $dk (i32.add (local.get $dk) (i32.const 4)))
                (local.set $bs (i32.add (local.get $bs) (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $blocks)))
            (call $store_row (local.get $out) (local.get $bias) (local.get $r) (local.get $b) (local.get $outStride) (local.get $acc) (local.get $mins))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $batch)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))
)
