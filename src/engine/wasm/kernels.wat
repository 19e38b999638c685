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
        (call $store (local.get $out) (local.get $bias) (local.get $r) (local.get $a0))
        (call $store (local.get $out) (local.get $bias) (i32.add (local.get $r) (i32.const 1)) (local.get $a1))
        (call $store (local.get $out) (local.get $bias) (i32.add (local.get $r) (i32.const 2)) (local.get $a2))
        (call $store (local.get $out) (local.get $bias) (i32.add (local.get $r) (i32.const 3)) (local.get $a3))
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
;; W (rows, cols) f32 @ X (n, cols) -> out (n, rows), + bias (rows,). Prefill: every block of
  ;; 4 weight rows is loaded once and reused for all n inputs while it sits in the L1 cache.
  (func (export "matmul_f32")
    (param $out i32) (param $w i32) (param $x i32) (param $bias i32) (param $rows i32) (param $cols i32) (param $n i32)
    (local $r i32) (local $b i32) (local $c i32) (local $rowBytes i32) (local $outRowBytes i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $xb i32) (local $ob i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128)
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
        (block $inputs_done
          (loop $inputs
            (br_if $inputs_done (i32.ge_u (local.get $b) (local.get $n)))
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
            (local.set $ob (i32.add (local.get $out) (i32.mul (local.get $b) (local.get $outRowBytes))))
            (call $store (local.get $ob) (local.get $bias) (local.get $r) (local.get $a0))
            (call $store (local.get $ob) (local.get $bias) (i32.add (local.get $r) (i32.const 1)) (local.get $a1))
            (call $store (local.get $ob) (local.get $bias) (i32.add (local.get $r) (i32.const 2)) (local.get $a2))
            (call $store (local.get $ob) (local.get $bias) (i32.add (local.get $r) (i32.const 3)) (local.get $a3))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $inputs)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $blocks)))
    ;; the last rows (rows % 4), one input at a time through matvec's single-row path
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
)
