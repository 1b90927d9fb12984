// The SM2 curve: the recommended curve of GB/T 32918.5-2017, the only one SM2 keys use (OpenSSL's
// "SM2"). Cofactor 1, so every point that decodes is in the prime-order group.
import { ecdh, weierstrass } from '@noble/curves/abstract/weierstrass.js';

export const Sm2Point = weierstrass({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  h: 1n,
});

/** Key agreement on the curve (constant-time scalar multiplication; points are validated). */
export const sm2Ecdh = ecdh(Sm2Point);
