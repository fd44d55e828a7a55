;; Adam in one pass over a weight tensor, on 4 floats at a time (WebAssembly SIMD). tfjs applies
;; Adam as ~14 element-wise kernels per weight, each a full pass that allocates its result; for the
;; dense AE (944k weights) that was ~8 of a ~27 ms step. The arithmetic is the same as tfjs's, op for
;; op in float32 (WebAssembly has no fused multiply-add here), so results match the stock path.
;; It reads and writes the tfjs WASM backend's own memory (imported), at the tensors' byte offsets.
;; Compiled to src/engine/kernels/fusedAdamWasm.ts by `npm run wat`.
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
        (br $tail)))))
