// The suites' emulator is the one every harness starts (harness/moto.mjs).
export { startMoto, type Moto } from '../../../harness/moto.mjs';
