import { setFlagsFromString } from 'node:v8';

/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff). undici parses HTTP responses with
 * llhttp compiled to WebAssembly, and once a burst makes its parser hot, V8 recompiles it with
 * TurboFan: 30 MB of compiler memory at the peak of a burst of 500 messages, which the C
 * allocator then keeps (peak RSS 148 → 124 MB, measured). Liftoff's code parses a Slack answer
 * of a few hundred bytes in microseconds all the same: CPU per message did not rise. The flag
 * is read when undici compiles llhttp, at the first request: set here, it is in time.
 */
setFlagsFromString('--liftoff-only');
