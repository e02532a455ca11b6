// The suites' emulator is the one every harness starts (tests/support/moto.mjs).
export { startMoto, type Moto } from '../../../tests/support/moto.mjs';
