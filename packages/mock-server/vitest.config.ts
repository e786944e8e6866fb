// The shared configuration as it is: real servers on 127.0.0.1, 30 s per test and hook.
export { default } from '../../vitest.shared.mjs';
