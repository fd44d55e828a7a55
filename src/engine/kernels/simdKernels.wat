;; Kernels written by hand in WebAssembly SIMD (4 floats at a time) where tfjs-backend-wasm's own
;; are slow for training. They read and write the tfjs WASM backend's memory (imported), at the
;; tensors' byte offsets. Compiled to src/engine/kernels/simdKernelsWasm.ts by `npm run wat`.
;;
;; adam: Adam in one pass over a weight tensor. tfjs applies Adam as ~14 element-wise kernels per
;; weight, each a full pass that allocates its result; for the dense AE (944k weights) that was ~8
;; of a ~27 ms step. The arithmetic is tfjs's, op for op in float32 (WebAssembly has no fused
;; multiply-add here), so results equal the stock path.
;;
;; addRowBias: out[r, c] = x[r, c] + bias[r], then max(0, ·) when asked: a dense layer's bias and relu
;; on transposed activations (features × batch) in one pass. The stock broadcast add of a column
;; took up to ~1 ms for a 128 × 128 activation.
;;
;; reluBackward: a relu layer's gradients on transposed activations: dz = dy where the layer's output
;; y > 0, else 0 (autodiff's dy · step(y)), and the bias gradient, each row's sum of dz, in the same
;; pass. Three stock kernels (Step, Multiply, Sum) before.
;;
;; addColumnBias / reluBackwardColumns: the same two for channels-last activations (rows of pixels ×
;; channels, or batch × units), for the hand-written conv step: a bias per column, and the bias
;; gradient as column sums in doubles in sumColumns' order. Five stock kernels before (Add, Relu;
;; Step, Cast, Multiply) and a Sum.
;;
;; squaredErrorBackward: the loss end of the step: error = y − target, returns Σ error² and writes
;; dz = error · scale, times y(1 − y) when the output is a sigmoid (autodiff's σ′ from the output).
;; Six stock kernels before.
;;
;; im2col / col2imAdd: a convolution's patches (one row per output pixel, filterHeight × filterWidth ×
;; channels wide) out of an NHWC image, and added back into one. The JavaScript loops these replace
;; were most of a conv step's filter and input gradients besides the matmuls. A window row that lies
;; inside the image is one contiguous run (NHWC), so it moves as one memory.copy or one vector add.
;;
;; sumColumns: each column's sum over the rows (a bias gradient: every axis but the channels), in
;; double precision like the JavaScript it replaces, in the same order, so the same numbers.
;;
;; transpose: a rows × cols float32 matrix into cols × rows, in 4 × 4 blocks turned by shuffles.
;; The stock kernel's general N-d loop took ~0.2–0.5 ms for a 128 × 784 activation, and a dense
;; training step transposes a dozen of those.
;;
;; gemm: c (M × N) = op(a) · b, row-major, op(a) = a (M × K) or, with transposeA, aᵀ (a stored K × M).
;; tfjs's matmul (XNNPACK) repacks its right operand on every call whose operand is new, as every
;; operand is in training, and reached ~27 GFLOP/s on one core here against a WebAssembly SIMD peak
;; of ~57. This one packs nothing: a 4 × 8 tile of c lives in 8 registers while k runs, a's four
;; values at k are broadcast straight from memory (v128.load32_splat: one load, no shuffle) and b's
;; row segment is two plain loads, so op(a) costs nothing to transpose. k runs in blocks of 256 so
;; that b's block stays in the L2 cache while every row tile passes over it (a conv filter gradient
;; has K = batch × pixels, ~25,000). Rows and columns outside whole tiles take a scalar loop in the
;; same order. scripts/compileWat.mjs also makes a relaxed-SIMD variant, every multiply-add of the
;; tile one f32x4.relaxed_madd (fused where the CPU has FMA), for runtimes that validate it.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "adam")
    (param $p i32) (param $m i32) (param $v i32) (param $g i32)
    (param $outP i32) (param $outM i32) (param $outV i32) (param $n i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (param $oma1 f32) (param $oma2 f32) (param $eps f32) (param $negLr f32)
    (local $off i32) (local $endVec i32) (local $end i32)
    (local $B1 v128) (local $C1 v128) (local $B2 v128) (local $C2 v128)
    (local $OMA1 v128) (local $OMA2 v128) (local $EPS v128) (local $NEGLR v128)
    (local $g4 v128) (local $m4 v128) (local $v4 v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $OMA1 (f32x4.splat (local.get $oma1)))
    (local.set $OMA2 (f32x4.splat (local.get $oma2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $NEGLR (f32x4.splat (local.get $negLr)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $endVec (i32.and (local.get $end) (i32.const -16)))
    (block $doneVec
      (loop $vec
        (br_if $doneVec (i32.ge_u (local.get $off) (local.get $endVec)))
        (local.set $g4 (v128.load align=4 (i32.add (local.get $g) (local.get $off))))
        (local.set $m4 (f32x4.add
          (f32x4.mul (v128.load align=4 (i32.add (local.get $m) (local.get $off))) (local.get $B1))
          (f32x4.mul (local.get $g4) (local.get $C1))))
        (local.set $v4 (f32x4.add
          (f32x4.mul (v128.load align=4 (i32.add (local.get $v) (local.get $off))) (local.get $B2))
          (f32x4.mul (f32x4.mul (local.get $g4) (local.get $g4)) (local.get $C2))))
        (v128.store align=4 (i32.add (local.get $outM) (local.get $off)) (local.get $m4))
        (v128.store align=4 (i32.add (local.get $outV) (local.get $off)) (local.get $v4))
        (v128.store align=4 (i32.add (local.get $outP) (local.get $off))
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $m4) (local.get $OMA1))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $v4) (local.get $OMA2))) (local.get $EPS)))
              (local.get $NEGLR))
            (v128.load align=4 (i32.add (local.get $p) (local.get $off)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $vec)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $off))))
        (local.set $ms (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $off))) (local.get $b1))
          (f32.mul (local.get $gs) (local.get $c1))))
        (local.set $vs (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $off))) (local.get $b2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2))))
        (f32.store (i32.add (local.get $outM) (local.get $off)) (local.get $ms))
        (f32.store (i32.add (local.get $outV) (local.get $off)) (local.get $vs))
        (f32.store (i32.add (local.get $outP) (local.get $off))
          (f32.add
            (f32.mul
              (f32.div
                (f32.div (local.get $ms) (local.get $oma1))
                (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $oma2))) (local.get $eps)))
              (local.get $negLr))
            (f32.load (i32.add (local.get $p) (local.get $off)))))
        (local.set $off (i32.add (local.get $off) (i32.const 4)))
        (br $tail))))
  ;; out[c * rows + r] = in[r * cols + c]
  (func (export "transpose") (param $in i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $rows4 i32) (local $cols4 i32) (local $band i32) (local $bandEnd i32)
    (local $rowBytes i32) (local $outRowBytes i32) (local $src i32) (local $dst i32)
    (local $a v128) (local $b v128) (local $x v128) (local $y v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $outRowBytes (i32.shl (local.get $rows) (i32.const 2)))
    ;; full 4 × 4 blocks, in bands of 16 rows: for each 4 columns the band's four blocks in turn, so
    ;; each output row gets 64 contiguous bytes (a cache line) at a time rather than 16
    (local.set $band (i32.const 0))
    (block $bandsDone
      (loop $bands
        (br_if $bandsDone (i32.ge_u (local.get $band) (local.get $rows4)))
        (local.set $bandEnd (select (local.get $rows4) (i32.add (local.get $band) (i32.const 16))
          (i32.lt_u (local.get $rows4) (i32.add (local.get $band) (i32.const 16)))))
        (local.set $c (i32.const 0))
        (block $colsDone
          (loop $colBlocks
            (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols4)))
            (local.set $r (local.get $band))
            (block $blocksDone
              (loop $blocks
            (br_if $blocksDone (i32.ge_u (local.get $r) (local.get $bandEnd)))
            (local.set $src (i32.add (local.get $in)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
            (local.set $a (v128.load align=4 (local.get $src)))
            (local.set $b (v128.load align=4 (i32.add (local.get $src) (local.get $rowBytes))))
            (local.set $x (v128.load align=4 (i32.add (local.get $src) (i32.shl (local.get $rowBytes) (i32.const 1)))))
            (local.set $y (v128.load align=4 (i32.add (local.get $src) (i32.mul (local.get $rowBytes) (i32.const 3)))))
            ;; interleave pairs of rows, then pairs of pairs: columns of the block become rows
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x) (local.get $y)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x) (local.get $y)))
            (local.set $dst (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2))))
            (v128.store align=4 (local.get $dst)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store align=4 (i32.add (local.get $dst) (local.get $outRowBytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store align=4 (i32.add (local.get $dst) (i32.shl (local.get $outRowBytes) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store align=4 (i32.add (local.get $dst) (i32.mul (local.get $outRowBytes) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $blocks)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $colBlocks)))
        (local.set $band (local.get $bandEnd))
        (br $bands)))
    ;; the columns right of the last full block, for every row
    (call $transposeScalar (local.get $in) (local.get $out) (local.get $rows) (local.get $cols)
      (i32.const 0) (local.get $rows) (local.get $cols4) (local.get $cols))
    ;; the rows below the last full block, left of those columns
    (call $transposeScalar (local.get $in) (local.get $out) (local.get $rows) (local.get $cols)
      (local.get $rows4) (local.get $rows) (i32.const 0) (local.get $cols4)))

  ;; the plain loop over rows [r0, r1) and columns [c0, c1)
  (func $transposeScalar (param $in i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $r0 i32) (param $r1 i32) (param $c0 i32) (param $c1 i32)
    (local $r i32) (local $c i32)
    (local.set $r (local.get $r0))
    (block $done
      (loop $eachRow
        (br_if $done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $c (local.get $c0))
        (block $rowDone
          (loop $eachCol
            (br_if $rowDone (i32.ge_u (local.get $c) (local.get $c1)))
            (f32.store
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
              (f32.load (i32.add (local.get $in) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $eachCol)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow))))
  (func (export "addRowBias") (param $x i32) (param $bias i32) (param $out i32) (param $rows i32) (param $cols i32) (param $relu i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $rowStart i32) (local $b v128) (local $bs f32)
    (local $v v128) (local $s f32) (local $zero v128)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (block $done
      (loop $eachRow
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $bs (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $b (f32x4.splat (local.get $bs)))
        (local.set $rowStart (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2)))
        (local.set $c (i32.const 0))
        (block $vecDone
          (loop $vec
            (br_if $vecDone (i32.ge_u (local.get $c) (local.get $cols4)))
            (local.set $v (f32x4.add
              (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $rowStart) (i32.shl (local.get $c) (i32.const 2)))))
              (local.get $b)))
            (if (local.get $relu) (then (local.set $v (f32x4.max (local.get $v) (local.get $zero)))))
            (v128.store align=4 (i32.add (local.get $out) (i32.add (local.get $rowStart) (i32.shl (local.get $c) (i32.const 2)))) (local.get $v))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vec)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $s (f32.add
              (f32.load (i32.add (local.get $x) (i32.add (local.get $rowStart) (i32.shl (local.get $c) (i32.const 2)))))
              (local.get $bs)))
            (if (local.get $relu) (then (local.set $s (f32.max (local.get $s) (f32.const 0)))))
            (f32.store (i32.add (local.get $out) (i32.add (local.get $rowStart) (i32.shl (local.get $c) (i32.const 2)))) (local.get $s))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow))))
  (func (export "reluBackward") (param $dy i32) (param $y i32) (param $dz i32) (param $biasGrad i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $at i32) (local $sum v128) (local $v v128)
    (local $s f32) (local $zero v128)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (block $done
      (loop $eachRow
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $sum (local.get $zero))
        (local.set $c (i32.const 0))
        (block $vecDone
          (loop $vec
            (br_if $vecDone (i32.ge_u (local.get $c) (local.get $cols4)))
            (local.set $at (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))
            ;; keep dy where y > 0: a lane mask from the comparison
            (local.set $v (v128.and
              (v128.load align=4 (i32.add (local.get $dy) (local.get $at)))
              (f32x4.gt (v128.load align=4 (i32.add (local.get $y) (local.get $at))) (local.get $zero))))
            (v128.store align=4 (i32.add (local.get $dz) (local.get $at)) (local.get $v))
            (local.set $sum (f32x4.add (local.get $sum) (local.get $v)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vec)))
        (local.set $s (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
          (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $at (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))
            (if (f32.gt (f32.load (i32.add (local.get $y) (local.get $at))) (f32.const 0))
              (then
                (f32.store (i32.add (local.get $dz) (local.get $at)) (f32.load (i32.add (local.get $dy) (local.get $at))))
                (local.set $s (f32.add (local.get $s) (f32.load (i32.add (local.get $dy) (local.get $at))))))
              (else (f32.store (i32.add (local.get $dz) (local.get $at)) (f32.const 0))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (f32.store (i32.add (local.get $biasGrad) (i32.shl (local.get $r) (i32.const 2))) (local.get $s))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow))))

;; out[r, c] = x[r, c] + bias[c] (a bias per channel of an NHWC activation, or per unit of a
  ;; batch × units one), then max(0, ·) if relu is 1
  (func (export "addColumnBias") (param $x i32) (param $bias i32) (param $out i32) (param $rows i32) (param $cols i32) (param $relu i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $row i32) (local $v v128) (local $s f32) (local $zero v128)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (block $done (loop $eachRow
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $row (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2)))
      (local.set $c (i32.const 0))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $c) (local.get $cols4)))
        (local.set $v (f32x4.add
          (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2)))))
          (v128.load align=4 (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2))))))
        (if (local.get $relu) (then (local.set $v (f32x4.max (local.get $v) (local.get $zero)))))
        (v128.store align=4 (i32.add (local.get $out) (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2)))) (local.get $v))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $s (f32.add
          (f32.load (i32.add (local.get $x) (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2)))))
          (f32.load (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2))))))
        (if (local.get $relu) (then (local.set $s (f32.max (local.get $s) (f32.const 0)))))
        (f32.store (i32.add (local.get $out) (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2)))) (local.get $s))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eachRow))))

  ;; a relu layer's gradients on rows × channels: dz = dy where y > 0, else 0, and biasGrad[c] = Σ_r dz[r, c]
  ;; summed in doubles at `scratch` (8 bytes a column, 8-byte aligned) in sumColumns' order, so the same numbers
  (func (export "reluBackwardColumns") (param $dy i32) (param $y i32) (param $dz i32) (param $biasGrad i32) (param $scratch i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $at i32) (local $v v128) (local $acc i32) (local $s f32) (local $zero v128)
    (memory.fill (local.get $scratch) (i32.const 0) (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (block $rowsDone (loop $rowsLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $c) (local.get $cols4)))
        (local.set $at (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))
        (local.set $v (v128.and
          (v128.load align=4 (i32.add (local.get $dy) (local.get $at)))
          (f32x4.gt (v128.load align=4 (i32.add (local.get $y) (local.get $at))) (local.get $zero))))
        (v128.store align=4 (i32.add (local.get $dz) (local.get $at)) (local.get $v))
        (local.set $acc (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))))
        (v128.store align=8 (local.get $acc)
          (f64x2.add (v128.load align=8 (local.get $acc)) (f64x2.promote_low_f32x4 (local.get $v))))
        (v128.store align=8 (i32.add (local.get $acc) (i32.const 16))
          (f64x2.add (v128.load align=8 (i32.add (local.get $acc) (i32.const 16)))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $at (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))
        (local.set $s (select (f32.load (i32.add (local.get $dy) (local.get $at))) (f32.const 0)
          (f32.gt (f32.load (i32.add (local.get $y) (local.get $at))) (f32.const 0))))
        (f32.store (i32.add (local.get $dz) (local.get $at)) (local.get $s))
        (local.set $acc (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))))
        (f64.store (local.get $acc) (f64.add (f64.load (local.get $acc)) (f64.promote_f32 (local.get $s))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowsLoop)))
    (local.set $c (i32.const 0))
    (block $outDone (loop $outLoop
      (br_if $outDone (i32.ge_u (local.get $c) (local.get $cols)))
      (f32.store (i32.add (local.get $biasGrad) (i32.shl (local.get $c) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $outLoop))))

  (func (export "squaredErrorBackward") (param $y i32) (param $target i32) (param $dz i32) (param $n i32) (param $scale f32) (param $sigmoid i32) (result f64)
    (local $i i32) (local $end i32) (local $endVec i32) (local $sum v128) (local $e v128) (local $yv v128) (local $d v128)
    (local $scaleV v128) (local $one v128) (local $total f64) (local $es f32) (local $ys f32) (local $ds f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $endVec (i32.and (local.get $end) (i32.const -16)))
    (local.set $scaleV (f32x4.splat (local.get $scale)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (block $vecDone
      (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $i) (local.get $endVec)))
        (local.set $yv (v128.load align=4 (i32.add (local.get $y) (local.get $i))))
        (local.set $e (f32x4.sub (local.get $yv) (v128.load align=4 (i32.add (local.get $target) (local.get $i)))))
        ;; the squares summed in double, two lanes at a time, so the loss does not depend on n's size
        (local.set $sum (f64x2.add (local.get $sum) (f64x2.add
          (f64x2.promote_low_f32x4 (f32x4.mul (local.get $e) (local.get $e)))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
            (f32x4.mul (local.get $e) (local.get $e)) (f32x4.mul (local.get $e) (local.get $e)))))))
        (local.set $d (f32x4.mul (local.get $e) (local.get $scaleV)))
        (if (local.get $sigmoid)
          (then (local.set $d (f32x4.mul (local.get $d) (f32x4.mul (local.get $yv) (f32x4.sub (local.get $one) (local.get $yv)))))))
        (v128.store align=4 (i32.add (local.get $dz) (local.get $i)) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vec)))
    (local.set $total (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $ys (f32.load (i32.add (local.get $y) (local.get $i))))
        (local.set $es (f32.sub (local.get $ys) (f32.load (i32.add (local.get $target) (local.get $i)))))
        (local.set $total (f64.add (local.get $total) (f64.promote_f32 (f32.mul (local.get $es) (local.get $es)))))
        (local.set $ds (f32.mul (local.get $es) (local.get $scale)))
        (if (local.get $sigmoid)
          (then (local.set $ds (f32.mul (local.get $ds) (f32.mul (local.get $ys) (f32.sub (f32.const 1) (local.get $ys)))))))
        (f32.store (i32.add (local.get $dz) (local.get $i)) (local.get $ds))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))
    (local.get $total))
  (func (export "im2col") (param $x i32) (param $p i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $C i32)
    (param $outH i32) (param $outW i32) (param $fH i32) (param $fW i32) (param $sH i32) (param $sW i32) (param $top i32) (param $left i32)
    (local $n i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $ih i32) (local $iw i32)
    (local $ih0 i32) (local $iw0 i32) (local $o i32) (local $rowBytes i32) (local $pixelBytes i32) (local $imageRow i32)
    (local.set $o (local.get $p))
    (local.set $pixelBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $fW) (local.get $pixelBytes)))
    (local.set $n (i32.const 0))
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $ohDone (loop $ohLoop
        (br_if $ohDone (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $ih0 (i32.sub (i32.mul (local.get $oh) (local.get $sH)) (local.get $top)))
        (local.set $ow (i32.const 0))
        (block $owDone (loop $owLoop
          (br_if $owDone (i32.ge_u (local.get $ow) (local.get $outW)))
          (local.set $iw0 (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $left)))
          (local.set $kh (i32.const 0))
          (block $khDone (loop $khLoop
            (br_if $khDone (i32.ge_u (local.get $kh) (local.get $fH)))
            (local.set $ih (i32.add (local.get $ih0) (local.get $kh)))
            (if (i32.or (i32.lt_s (local.get $ih) (i32.const 0)) (i32.ge_s (local.get $ih) (local.get $inH)))
              (then (call $zeroRun (local.get $o) (local.get $rowBytes)))
              (else
                (local.set $imageRow (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inH)) (local.get $ih)) (local.get $inW)))
                (if (i32.and (i32.ge_s (local.get $iw0) (i32.const 0)) (i32.le_s (i32.add (local.get $iw0) (local.get $fW)) (local.get $inW)))
                  (then
                    (call $copyRun (local.get $o)
                      (i32.add (local.get $x) (i32.mul (i32.add (local.get $imageRow) (local.get $iw0)) (local.get $pixelBytes)))
                      (local.get $rowBytes)))
                  (else
                    (local.set $kw (i32.const 0))
                    (block $kwDone (loop $kwLoop
                      (br_if $kwDone (i32.ge_u (local.get $kw) (local.get $fW)))
                      (local.set $iw (i32.add (local.get $iw0) (local.get $kw)))
                      (if (i32.or (i32.lt_s (local.get $iw) (i32.const 0)) (i32.ge_s (local.get $iw) (local.get $inW)))
                        (then (call $zeroRun (i32.add (local.get $o) (i32.mul (local.get $kw) (local.get $pixelBytes))) (local.get $pixelBytes)))
                        (else (call $copyRun (i32.add (local.get $o) (i32.mul (local.get $kw) (local.get $pixelBytes)))
                          (i32.add (local.get $x) (i32.mul (i32.add (local.get $imageRow) (local.get $iw)) (local.get $pixelBytes)))
                          (local.get $pixelBytes))))
                      (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                      (br $kwLoop)))))))
            (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khLoop)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohLoop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nLoop))))

;; memory.copy and memory.fill for a run of bytes (a multiple of 4); runs under 64 bytes a float at a
  ;; time, as the engine's bulk-memory call costs more than a few moves (a one-channel image's window
  ;; row is 12 bytes, and a 128-image batch has 75,000 of them)
  (func $copyRun (param $dst i32) (param $src i32) (param $bytes i32)
    (local $i i32)
    (if (i32.ge_u (local.get $bytes) (i32.const 64))
      (then (memory.copy (local.get $dst) (local.get $src) (local.get $bytes)) (return)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.load (i32.add (local.get $src) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $each))))
  (func $zeroRun (param $dst i32) (param $bytes i32)
    (local $i i32)
    (if (i32.ge_u (local.get $bytes) (i32.const 64))
      (then (memory.fill (local.get $dst) (i32.const 0) (local.get $bytes)) (return)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $each))))

  (func (export "col2imAdd") (param $p i32) (param $image i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $C i32)
    (param $outH i32) (param $outW i32) (param $fH i32) (param $fW i32) (param $sH i32) (param $sW i32) (param $top i32) (param $left i32)
    (local $n i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $ih i32) (local $iw i32)
    (local $ih0 i32) (local $iw0 i32) (local $o i32) (local $rowBytes i32) (local $pixelBytes i32) (local $imageRow i32)
    (local.set $o (local.get $p))
    (local.set $pixelBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $fW) (local.get $pixelBytes)))
    (local.set $n (i32.const 0))
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $ohDone (loop $ohLoop
        (br_if $ohDone (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $ih0 (i32.sub (i32.mul (local.get $oh) (local.get $sH)) (local.get $top)))
        (local.set $ow (i32.const 0))
        (block $owDone (loop $owLoop
          (br_if $owDone (i32.ge_u (local.get $ow) (local.get $outW)))
          (local.set $iw0 (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $left)))
          (local.set $kh (i32.const 0))
          (block $khDone (loop $khLoop
            (br_if $khDone (i32.ge_u (local.get $kh) (local.get $fH)))
            (local.set $ih (i32.add (local.get $ih0) (local.get $kh)))
            (if (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $inH)))
              (then
                (local.set $imageRow (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inH)) (local.get $ih)) (local.get $inW)))
                (if (i32.and (i32.ge_s (local.get $iw0) (i32.const 0)) (i32.le_s (i32.add (local.get $iw0) (local.get $fW)) (local.get $inW)))
                  (then
                    (call $addRun
                      (i32.add (local.get $image) (i32.mul (i32.add (local.get $imageRow) (local.get $iw0)) (local.get $pixelBytes)))
                      (local.get $o) (local.get $rowBytes)))
                  (else
                    (local.set $kw (i32.const 0))
                    (block $kwDone (loop $kwLoop
                      (br_if $kwDone (i32.ge_u (local.get $kw) (local.get $fW)))
                      (local.set $iw (i32.add (local.get $iw0) (local.get $kw)))
                      (if (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.lt_s (local.get $iw) (local.get $inW)))
                        (then (call $addRun
                          (i32.add (local.get $image) (i32.mul (i32.add (local.get $imageRow) (local.get $iw)) (local.get $pixelBytes)))
                          (i32.add (local.get $o) (i32.mul (local.get $kw) (local.get $pixelBytes)))
                          (local.get $pixelBytes))))
                      (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                      (br $kwLoop)))))))
            (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khLoop)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohLoop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nLoop))))

  ;; dst[i] += src[i] over a run of bytes (a multiple of 4), 4 floats at a time where it can
  (func $addRun (param $dst i32) (param $src i32) (param $bytes i32)
    (local $i i32) (local $vecEnd i32)
    (local.set $vecEnd (i32.and (local.get $bytes) (i32.const -16)))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.ge_u (local.get $i) (local.get $vecEnd)))
      (v128.store align=4 (i32.add (local.get $dst) (local.get $i))
        (f32x4.add (v128.load align=4 (i32.add (local.get $dst) (local.get $i))) (v128.load align=4 (i32.add (local.get $src) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vec)))
    (block $done (loop $tail
      (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $dst) (local.get $i))
        (f32.add (f32.load (i32.add (local.get $dst) (local.get $i))) (f32.load (i32.add (local.get $src) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $tail))))

  ;; out[c] = Σ_r x[r, c], summed in doubles at `scratch` (8 bytes a column, 8-byte aligned)
  (func (export "sumColumns") (param $x i32) (param $out i32) (param $scratch i32) (param $rows i32) (param $columns i32)
    (local $r i32) (local $c i32) (local $columns4 i32) (local $row i32) (local $v v128) (local $acc i32)
    (memory.fill (local.get $scratch) (i32.const 0) (i32.shl (local.get $columns) (i32.const 3)))
    (local.set $columns4 (i32.and (local.get $columns) (i32.const -4)))
    (block $rowsDone (loop $rowsLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $row (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $columns)) (i32.const 2))))
      (local.set $c (i32.const 0))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $c) (local.get $columns4)))
        (local.set $v (v128.load align=4 (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $acc (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))))
        (v128.store align=8 (local.get $acc)
          (f64x2.add (v128.load align=8 (local.get $acc)) (f64x2.promote_low_f32x4 (local.get $v))))
        (v128.store align=8 (i32.add (local.get $acc) (i32.const 16))
          (f64x2.add (v128.load align=8 (i32.add (local.get $acc) (i32.const 16)))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $c) (local.get $columns)))
        (local.set $acc (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))))
        (f64.store (local.get $acc) (f64.add (f64.load (local.get $acc))
          (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2)))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowsLoop)))
    (local.set $c (i32.const 0))
    (block $outDone (loop $outLoop
      (br_if $outDone (i32.ge_u (local.get $c) (local.get $columns)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $outLoop))))

  ;; rows rowStart ≤ i < rowEnd of c only (rowStart a multiple of 4), so that threads can share one product
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32) (param $transposeA i32)
    (param $rowStart i32) (param $rowEnd i32)
    (local $rsA i32) (local $csA i32) (local $ldb i32) (local $k0 i32) (local $kc i32) (local $i i32) (local $j i32) (local $M4 i32) (local $N8 i32)
    (local.set $ldb (i32.shl (local.get $N) (i32.const 2)))
    (if (local.get $transposeA)
      (then (local.set $rsA (i32.const 4)) (local.set $csA (i32.shl (local.get $M) (i32.const 2))))
      (else (local.set $rsA (i32.shl (local.get $K) (i32.const 2))) (local.set $csA (i32.const 4))))
    (local.set $M4 (i32.add (local.get $rowStart) (i32.and (i32.sub (local.get $rowEnd) (local.get $rowStart)) (i32.const -4))))
    (local.set $N8 (i32.and (local.get $N) (i32.const -8)))
    (block $kDone (loop $kBlocks
      (br_if $kDone (i32.ge_u (local.get $k0) (local.get $K)))
      (local.set $kc (i32.sub (local.get $K) (local.get $k0)))
      (if (i32.gt_u (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
      (local.set $i (local.get $rowStart))
      (block $iDone (loop $iLoop
        (br_if $iDone (i32.ge_u (local.get $i) (local.get $M4)))
        (local.set $j (i32.const 0))
        (block $jDone (loop $jLoop
          (br_if $jDone (i32.ge_u (local.get $j) (local.get $N8)))
          (call $tile4x8
            (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $rsA)) (i32.mul (local.get $k0) (local.get $csA))))
            (local.get $rsA) (local.get $csA)
            (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $N)) (local.get $j)) (i32.const 2)))
            (local.get $ldb)
            (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2)))
            (local.get $kc) (local.get $k0))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $jLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iLoop)))
      ;; columns right of the whole tiles, four rows at a time
      (call $edge4 (local.get $a) (local.get $b) (local.get $c) (local.get $rsA) (local.get $csA) (local.get $N) (local.get $k0) (local.get $kc)
        (local.get $rowStart) (local.get $M4) (local.get $N8) (local.get $N))
      ;; rows below them, one at a time: 8 columns a vector pair, then the columns right of those
      (local.set $i (local.get $M4))
      (block $rDone (loop $rLoop
        (br_if $rDone (i32.ge_u (local.get $i) (local.get $rowEnd)))
        (local.set $j (i32.const 0))
        (block $jDone1 (loop $jLoop1
          (br_if $jDone1 (i32.ge_u (local.get $j) (local.get $N8)))
          (call $tile1x8
            (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $rsA)) (i32.mul (local.get $k0) (local.get $csA))))
            (local.get $csA)
            (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $N)) (local.get $j)) (i32.const 2)))
            (local.get $ldb)
            (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2)))
            (local.get $kc) (local.get $k0))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $jLoop1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rLoop)))
      (call $edge (local.get $a) (local.get $b) (local.get $c) (local.get $rsA) (local.get $csA) (local.get $N) (local.get $k0) (local.get $kc)
        (local.get $M4) (local.get $rowEnd) (local.get $N8) (local.get $N))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
      (br $kBlocks))))
  (func $edge (param $a i32) (param $b i32) (param $c i32) (param $rsA i32) (param $csA i32) (param $N i32) (param $k0 i32) (param $kc i32)
    (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (local $i i32) (local $j i32) (local $k i32) (local $ap i32) (local $bp i32) (local $cp i32) (local $s f32)
    (local.set $i (local.get $i0))
    (block $iDone (loop $iLoop
      (br_if $iDone (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $j (local.get $j0))
      (block $jDone (loop $jLoop
        (br_if $jDone (i32.ge_u (local.get $j) (local.get $j1)))
        (local.set $ap (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $rsA)) (i32.mul (local.get $k0) (local.get $csA)))))
        (local.set $bp (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $N)) (local.get $j)) (i32.const 2))))
        (local.set $s (f32.const 0))
        (local.set $k (local.get $kc))
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.eqz (local.get $k)))
          (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $ap)) (f32.load (local.get $bp)))))
          (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
          (local.set $bp (i32.add (local.get $bp) (i32.shl (local.get $N) (i32.const 2))))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br $kLoop)))
        (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
        (if (local.get $k0) (then (local.set $s (f32.add (f32.load (local.get $cp)) (local.get $s)))))
        (f32.store (local.get $cp) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iLoop))))
;; c[i..i+3, j] for i from i0 to i1 (a multiple of 4 rows) and j from j0 to j1: $edge's sums, four
  ;; independent ones at a time rather than one chain (a 1-column remainder over K = 25,000 was
  ;; most of a small convolution's filter gradient)
  (func $edge4 (param $a i32) (param $b i32) (param $c i32) (param $rsA i32) (param $csA i32) (param $N i32) (param $k0 i32) (param $kc i32)
    (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (local $i i32) (local $j i32) (local $k i32) (local $ap i32) (local $bp i32) (local $cp i32) (local $ldc i32) (local $bv f32)
    (local $s0 f32) (local $s1 f32) (local $s2 f32) (local $s3 f32)
    (local.set $ldc (i32.shl (local.get $N) (i32.const 2)))
    (local.set $i (local.get $i0))
    (block $iDone (loop $iLoop
      (br_if $iDone (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $j (local.get $j0))
      (block $jDone (loop $jLoop
        (br_if $jDone (i32.ge_u (local.get $j) (local.get $j1)))
        (local.set $ap (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $rsA)) (i32.mul (local.get $k0) (local.get $csA)))))
        (local.set $bp (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $N)) (local.get $j)) (i32.const 2))))
        (local.set $s0 (f32.const 0)) (local.set $s1 (f32.const 0)) (local.set $s2 (f32.const 0)) (local.set $s3 (f32.const 0))
        (local.set $k (local.get $kc))
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.eqz (local.get $k)))
          (local.set $bv (f32.load (local.get $bp)))
          (local.set $s0 (f32.add (local.get $s0) (f32.mul (f32.load (local.get $ap)) (local.get $bv))))
          (local.set $s1 (f32.add (local.get $s1) (f32.mul (f32.load (i32.add (local.get $ap) (local.get $rsA))) (local.get $bv))))
          (local.set $s2 (f32.add (local.get $s2) (f32.mul (f32.load (i32.add (local.get $ap) (i32.shl (local.get $rsA) (i32.const 1)))) (local.get $bv))))
          (local.set $s3 (f32.add (local.get $s3) (f32.mul (f32.load (i32.add (local.get $ap) (i32.mul (local.get $rsA) (i32.const 3)))) (local.get $bv))))
          (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
          (local.set $bp (i32.add (local.get $bp) (local.get $ldc)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br $kLoop)))
        (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
        (if (local.get $k0)
          (then
            (local.set $s0 (f32.add (f32.load (local.get $cp)) (local.get $s0)))
            (local.set $s1 (f32.add (f32.load (i32.add (local.get $cp) (local.get $ldc))) (local.get $s1)))
            (local.set $s2 (f32.add (f32.load (i32.add (local.get $cp) (i32.shl (local.get $ldc) (i32.const 1)))) (local.get $s2)))
            (local.set $s3 (f32.add (f32.load (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3)))) (local.get $s3)))))
        (f32.store (local.get $cp) (local.get $s0))
        (f32.store (i32.add (local.get $cp) (local.get $ldc)) (local.get $s1))
        (f32.store (i32.add (local.get $cp) (i32.shl (local.get $ldc) (i32.const 1))) (local.get $s2))
        (f32.store (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3))) (local.get $s3))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $iLoop))))
  ;; one row of 8 columns of c, as $tile4x8 does four (a row remainder: a small convolution's filter
  ;; gradient has 9 rows, one of them outside the whole tiles, against K = 25,000)
  (func $tile1x8 (param $ap i32) (param $csA i32) (param $bp i32) (param $ldb i32) (param $cp i32) (param $k i32) (param $accumulate i32)
    (local $c00 v128) (local $c01 v128) (local $b0 v128) (local $b1 v128) (local $x v128)
    (block $kDone (loop $kLoop
      (br_if $kDone (i32.eqz (local.get $k)))
      (local.set $b0 (v128.load align=4 (local.get $bp)))
      (local.set $b1 (v128.load offset=16 align=4 (local.get $bp)))
      (local.set $x (v128.load32_splat (local.get $ap)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
      (local.set $bp (i32.add (local.get $bp) (local.get $ldb)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $kLoop)))
    (if (local.get $accumulate)
      (then
        (local.set $c00 (f32x4.add (v128.load align=4 (local.get $cp)) (local.get $c00)))
        (local.set $c01 (f32x4.add (v128.load offset=16 align=4 (local.get $cp)) (local.get $c01)))))
    (v128.store align=4 (local.get $cp) (local.get $c00))
    (v128.store offset=16 align=4 (local.get $cp) (local.get $c01)))
  (func $tile4x8 (param $ap i32) (param $rsA i32) (param $csA i32) (param $bp i32) (param $ldb i32) (param $cp i32) (param $k i32) (param $accumulate i32)
    (local $r2 i32) (local $r3 i32) (local $ldc i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $r2 (i32.shl (local.get $rsA) (i32.const 1)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $rsA)))
    (block $kDone (loop $kLoop
      (br_if $kDone (i32.eqz (local.get $k)))
      (local.set $b0 (v128.load align=4 (local.get $bp)))
      (local.set $b1 (v128.load offset=16 align=4 (local.get $bp)))
      (local.set $x (v128.load32_splat (local.get $ap)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (i32.add (local.get $ap) (local.get $rsA))))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (i32.add (local.get $ap) (local.get $r2))))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (i32.add (local.get $ap) (local.get $r3))))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
      (local.set $bp (i32.add (local.get $bp) (local.get $ldb)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $kLoop)))
    (local.set $ldc (local.get $ldb))
    (if (local.get $accumulate)
      (then
        (local.set $c00 (f32x4.add (v128.load align=4 (local.get $cp)) (local.get $c00)))
        (local.set $c01 (f32x4.add (v128.load offset=16 align=4 (local.get $cp)) (local.get $c01)))
        (local.set $c10 (f32x4.add (v128.load align=4 (i32.add (local.get $cp) (local.get $ldc))) (local.get $c10)))
        (local.set $c11 (f32x4.add (v128.load offset=16 align=4 (i32.add (local.get $cp) (local.get $ldc))) (local.get $c11)))
        (local.set $c20 (f32x4.add (v128.load align=4 (i32.add (local.get $cp) (i32.shl (local.get $ldc) (i32.const 1)))) (local.get $c20)))
        (local.set $c21 (f32x4.add (v128.load offset=16 align=4 (i32.add (local.get $cp) (i32.shl (local.get $ldc) (i32.const 1)))) (local.get $c21)))
        (local.set $c30 (f32x4.add (v128.load align=4 (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3)))) (local.get $c30)))
        (local.set $c31 (f32x4.add (v128.load offset=16 align=4 (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3)))) (local.get $c31)))))
    (v128.store align=4 (local.get $cp) (local.get $c00))
    (v128.store offset=16 align=4 (local.get $cp) (local.get $c01))
    (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
    (v128.store align=4 (local.get $cp) (local.get $c10))
    (v128.store offset=16 align=4 (local.get $cp) (local.get $c11))
    (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
    (v128.store align=4 (local.get $cp) (local.get $c20))
    (v128.store offset=16 align=4 (local.get $cp) (local.get $c21))
    (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
    (v128.store align=4 (local.get $cp) (local.get $c30))
    (v128.store offset=16 align=4 (local.get $cp) (local.get $c31))))
