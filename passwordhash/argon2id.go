package passwordhash

import (
	"encoding/binary"

	"golang.org/x/crypto/blake2b"
)

// This file computes Argon2id (RFC 9106, version 0x13) into memory the caller owns, so
// that each slot of the hash pool keeps one block array for its whole life instead of
// allocating, zeroing and collecting 19 MiB for every sign-in (a fifth of the server's
// CPU under load went there, and the page faults of a heap held under its memory limit).
// The output is byte for byte that of golang.org/x/crypto/argon2.IDKey, which
// TestArgon2idMatchesXCrypto checks on many inputs; parameters the pool's memory cannot
// hold are left to that package (see Pool.derive).
//
// Lanes (p > 1) are filled one after another within each slice rather than in
// parallel: a slice only refers to other lanes' finished slices, so the result is the
// same, and a hash never takes more than the one core its pool slot stands for.

const (
	a2BlockWords = 128 // 1 KiB blocks of 64-bit words
	a2SyncPoints = 4   // slices per pass
	a2TypeID     = 2   // Argon2id
	a2Version    = 0x13
)

type a2block [a2BlockWords]uint64

// argon2Blocks is how many blocks IDKey uses for memoryKiB and threads (RFC 9106: a
// multiple of 4p, at least 8p).
func argon2Blocks(memoryKiB uint32, threads uint8) uint32 {
	p := uint32(threads)
	m := memoryKiB / (a2SyncPoints * p) * (a2SyncPoints * p)
	return max(m, 2*a2SyncPoints*p)
}

// argon2idInto derives keyLen bytes from password and salt like argon2.IDKey, using
// mem (which must hold argon2Blocks(memoryKiB, threads) blocks; its old contents do not
// matter: every block is written before it is read).
//
// The block functions are marked go:norace: mem belongs to one pool slot, held by one
// goroutine for the whole hash, and the race detector's checks on every word made a
// hash ten times slower in the -race test run (the assembly of x/crypto is never
// instrumented).
//
//go:norace
func argon2idInto(mem []a2block, password, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	if time < 1 || threads < 1 {
		panic("argon2id: time and threads must be at least 1")
	}
	p := uint32(threads)
	m := argon2Blocks(memoryKiB, threads)
	B := mem[:m]
	laneLen := m / p
	segLen := laneLen / a2SyncPoints

	// H0, then the first two blocks of every lane from it.
	var h0 [blake2b.Size + 8]byte
	initialHash(&h0, password, salt, time, memoryKiB, p, keyLen)
	var buf [1024]byte
	for lane := uint32(0); lane < p; lane++ {
		binary.LittleEndian.PutUint32(h0[blake2b.Size+4:], lane)
		for i := uint32(0); i < 2; i++ {
			binary.LittleEndian.PutUint32(h0[blake2b.Size:], i)
			hashPrime(buf[:], h0[:])
			b := &B[lane*laneLen+i]
			for w := range b {
				b[w] = binary.LittleEndian.Uint64(buf[w*8:])
			}
		}
	}

	var addr, input, zero a2block
	for pass := uint32(0); pass < time; pass++ {
		for slice := uint32(0); slice < a2SyncPoints; slice++ {
			// Argon2id: data-independent addressing in the first half of the first pass.
			dataIndependent := pass == 0 && slice < a2SyncPoints/2
			for lane := uint32(0); lane < p; lane++ {
				index := uint32(0)
				if dataIndependent {
					input = a2block{}
					input[0], input[1], input[2] = uint64(pass), uint64(lane), uint64(slice)
					input[3], input[4], input[5] = uint64(m), uint64(time), a2TypeID
				}
				if pass == 0 && slice == 0 {
					index = 2 // the first two blocks are made from H0
					if dataIndependent {
						nextAddresses(&addr, &input, &zero)
					}
				}
				offset := lane*laneLen + slice*segLen + index
				for ; index < segLen; index, offset = index+1, offset+1 {
					prev := offset - 1
					if index == 0 && slice == 0 {
						prev += laneLen // the lane's last block
					}
					var rand uint64
					if dataIndependent {
						if index%a2BlockWords == 0 {
							nextAddresses(&addr, &input, &zero)
						}
						rand = addr[index%a2BlockWords]
					} else {
						rand = B[prev][0]
					}
					ref := refIndex(rand, laneLen, segLen, p, pass, slice, lane, index)
					// Version 0x13: the first pass writes, later passes XOR into the block.
					compress(&B[offset], &B[prev], &B[ref], pass > 0)
				}
			}
		}
	}

	// The final block is the XOR of every lane's last block.
	var final a2block
	for lane := uint32(0); lane < p; lane++ {
		last := &B[lane*laneLen+laneLen-1]
		for w := range final {
			final[w] ^= last[w]
		}
	}
	for w, v := range final {
		binary.LittleEndian.PutUint64(buf[w*8:], v)
	}
	key := make([]byte, keyLen)
	hashPrime(key, buf[:])
	return key
}

func initialHash(h0 *[blake2b.Size + 8]byte, password, salt []byte, time, memoryKiB, p, keyLen uint32) {
	h, _ := blake2b.New512(nil)
	var w [4]byte
	put := func(v uint32) {
		binary.LittleEndian.PutUint32(w[:], v)
		h.Write(w[:])
	}
	put(p)
	put(keyLen)
	put(memoryKiB)
	put(time)
	put(a2Version)
	put(a2TypeID)
	put(uint32(len(password)))
	h.Write(password)
	put(uint32(len(salt)))
	h.Write(salt)
	put(0) // no secret
	put(0) // no associated data
	h.Sum(h0[:0])
}

// hashPrime is H' of RFC 9106 (3.3): BLAKE2b stretched to len(out) bytes.
func hashPrime(out, in []byte) {
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(out)))
	if len(out) <= blake2b.Size {
		h, _ := blake2b.New(len(out), nil)
		h.Write(n[:])
		h.Write(in)
		h.Sum(out[:0])
		return
	}
	h, _ := blake2b.New512(nil)
	h.Write(n[:])
	h.Write(in)
	var v [blake2b.Size]byte
	h.Sum(v[:0])
	copy(out, v[:32])
	out = out[32:]
	for len(out) > blake2b.Size {
		h.Reset()
		h.Write(v[:])
		h.Sum(v[:0])
		copy(out, v[:32])
		out = out[32:]
	}
	last, _ := blake2b.New(len(out), nil)
	last.Write(v[:])
	last.Sum(out[:0])
}

// nextAddresses makes the next block of reference addresses for data-independent
// addressing: addr = G(0, G(0, input)) after counting input up.
//
//go:norace
func nextAddresses(addr, input, zero *a2block) {
	input[6]++
	compress(addr, zero, input, false)
	compress(addr, zero, addr, false)
}

// refIndex maps a pseudo-random word to the block it designates (RFC 9106, 3.4.1.2).
func refIndex(rand uint64, laneLen, segLen, p, pass, slice, lane, index uint32) uint32 {
	refLane := uint32(rand>>32) % p
	if pass == 0 && slice == 0 {
		refLane = lane
	}
	// The reference area: the finished segments (this lane: up to the previous block).
	var area, start uint32
	if pass == 0 {
		area = slice * segLen
		if refLane == lane {
			area += index - 1
		} else if index == 0 {
			area--
		}
	} else {
		area = 3 * segLen
		if refLane == lane {
			area += index - 1
		} else if index == 0 {
			area--
		}
		start = (slice + 1) % a2SyncPoints * segLen
	}
	x := rand & 0xffffffff
	x = x * x >> 32
	y := uint64(area) * x >> 32
	rel := uint64(area) - 1 - y
	return refLane*laneLen + uint32((uint64(start)+rel)%uint64(laneLen))
}

// compress is G of RFC 9106 (3.5): out = P(x ^ y) ^ x ^ y, or out ^= that when xor.
// P is applied to the eight rows, then to the eight columns, of the block seen as 8×8
// 16-byte registers (written out, so that every index is a constant).
//
//go:norace
func compress(out, x, y *a2block, xor bool) {
	var q a2block
	for i := range q {
		q[i] = x[i] ^ y[i]
	}
	permute(&q[0], &q[1], &q[2], &q[3], &q[4], &q[5], &q[6], &q[7], &q[8], &q[9], &q[10], &q[11], &q[12], &q[13], &q[14], &q[15])
	permute(&q[16], &q[17], &q[18], &q[19], &q[20], &q[21], &q[22], &q[23], &q[24], &q[25], &q[26], &q[27], &q[28], &q[29], &q[30], &q[31])
	permute(&q[32], &q[33], &q[34], &q[35], &q[36], &q[37], &q[38], &q[39], &q[40], &q[41], &q[42], &q[43], &q[44], &q[45], &q[46], &q[47])
	permute(&q[48], &q[49], &q[50], &q[51], &q[52], &q[53], &q[54], &q[55], &q[56], &q[57], &q[58], &q[59], &q[60], &q[61], &q[62], &q[63])
	permute(&q[64], &q[65], &q[66], &q[67], &q[68], &q[69], &q[70], &q[71], &q[72], &q[73], &q[74], &q[75], &q[76], &q[77], &q[78], &q[79])
	permute(&q[80], &q[81], &q[82], &q[83], &q[84], &q[85], &q[86], &q[87], &q[88], &q[89], &q[90], &q[91], &q[92], &q[93], &q[94], &q[95])
	permute(&q[96], &q[97], &q[98], &q[99], &q[100], &q[101], &q[102], &q[103], &q[104], &q[105], &q[106], &q[107], &q[108], &q[109], &q[110], &q[111])
	permute(&q[112], &q[113], &q[114], &q[115], &q[116], &q[117], &q[118], &q[119], &q[120], &q[121], &q[122], &q[123], &q[124], &q[125], &q[126], &q[127])
	permute(&q[0], &q[1], &q[16], &q[17], &q[32], &q[33], &q[48], &q[49], &q[64], &q[65], &q[80], &q[81], &q[96], &q[97], &q[112], &q[113])
	permute(&q[2], &q[3], &q[18], &q[19], &q[34], &q[35], &q[50], &q[51], &q[66], &q[67], &q[82], &q[83], &q[98], &q[99], &q[114], &q[115])
	permute(&q[4], &q[5], &q[20], &q[21], &q[36], &q[37], &q[52], &q[53], &q[68], &q[69], &q[84], &q[85], &q[100], &q[101], &q[116], &q[117])
	permute(&q[6], &q[7], &q[22], &q[23], &q[38], &q[39], &q[54], &q[55], &q[70], &q[71], &q[86], &q[87], &q[102], &q[103], &q[118], &q[119])
	permute(&q[8], &q[9], &q[24], &q[25], &q[40], &q[41], &q[56], &q[57], &q[72], &q[73], &q[88], &q[89], &q[104], &q[105], &q[120], &q[121])
	permute(&q[10], &q[11], &q[26], &q[27], &q[42], &q[43], &q[58], &q[59], &q[74], &q[75], &q[90], &q[91], &q[106], &q[107], &q[122], &q[123])
	permute(&q[12], &q[13], &q[28], &q[29], &q[44], &q[45], &q[60], &q[61], &q[76], &q[77], &q[92], &q[93], &q[108], &q[109], &q[124], &q[125])
	permute(&q[14], &q[15], &q[30], &q[31], &q[46], &q[47], &q[62], &q[63], &q[78], &q[79], &q[94], &q[95], &q[110], &q[111], &q[126], &q[127])
	if xor {
		for i := range q {
			out[i] ^= q[i] ^ x[i] ^ y[i]
		}
	} else {
		for i := range q {
			out[i] = q[i] ^ x[i] ^ y[i]
		}
	}
}

// permute is P of RFC 9106 (3.6) on sixteen words: GB (BLAKE2b's G with the
// multiplications of BlaMka) on the columns v0,v4,v8,v12 ..., then on the diagonals
// v0,v5,v10,v15 ... Written out: the compiler does not inline a GB function.
//
//go:norace
func permute(p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15 *uint64) {
	v0, v1, v2, v3, v4, v5, v6, v7 := *p0, *p1, *p2, *p3, *p4, *p5, *p6, *p7
	v8, v9, v10, v11, v12, v13, v14, v15 := *p8, *p9, *p10, *p11, *p12, *p13, *p14, *p15
	v0 += v4 + 2*uint64(uint32(v0))*uint64(uint32(v4))
	v12 ^= v0
	v12 = v12>>32 | v12<<32
	v8 += v12 + 2*uint64(uint32(v8))*uint64(uint32(v12))
	v4 ^= v8
	v4 = v4>>24 | v4<<40
	v0 += v4 + 2*uint64(uint32(v0))*uint64(uint32(v4))
	v12 ^= v0
	v12 = v12>>16 | v12<<48
	v8 += v12 + 2*uint64(uint32(v8))*uint64(uint32(v12))
	v4 ^= v8
	v4 = v4>>63 | v4<<1
	v1 += v5 + 2*uint64(uint32(v1))*uint64(uint32(v5))
	v13 ^= v1
	v13 = v13>>32 | v13<<32
	v9 += v13 + 2*uint64(uint32(v9))*uint64(uint32(v13))
	v5 ^= v9
	v5 = v5>>24 | v5<<40
	v1 += v5 + 2*uint64(uint32(v1))*uint64(uint32(v5))
	v13 ^= v1
	v13 = v13>>16 | v13<<48
	v9 += v13 + 2*uint64(uint32(v9))*uint64(uint32(v13))
	v5 ^= v9
	v5 = v5>>63 | v5<<1
	v2 += v6 + 2*uint64(uint32(v2))*uint64(uint32(v6))
	v14 ^= v2
	v14 = v14>>32 | v14<<32
	v10 += v14 + 2*uint64(uint32(v10))*uint64(uint32(v14))
	v6 ^= v10
	v6 = v6>>24 | v6<<40
	v2 += v6 + 2*uint64(uint32(v2))*uint64(uint32(v6))
	v14 ^= v2
	v14 = v14>>16 | v14<<48
	v10 += v14 + 2*uint64(uint32(v10))*uint64(uint32(v14))
	v6 ^= v10
	v6 = v6>>63 | v6<<1
	v3 += v7 + 2*uint64(uint32(v3))*uint64(uint32(v7))
	v15 ^= v3
	v15 = v15>>32 | v15<<32
	v11 += v15 + 2*uint64(uint32(v11))*uint64(uint32(v15))
	v7 ^= v11
	v7 = v7>>24 | v7<<40
	v3 += v7 + 2*uint64(uint32(v3))*uint64(uint32(v7))
	v15 ^= v3
	v15 = v15>>16 | v15<<48
	v11 += v15 + 2*uint64(uint32(v11))*uint64(uint32(v15))
	v7 ^= v11
	v7 = v7>>63 | v7<<1
	v0 += v5 + 2*uint64(uint32(v0))*uint64(uint32(v5))
	v15 ^= v0
	v15 = v15>>32 | v15<<32
	v10 += v15 + 2*uint64(uint32(v10))*uint64(uint32(v15))
	v5 ^= v10
	v5 = v5>>24 | v5<<40
	v0 += v5 + 2*uint64(uint32(v0))*uint64(uint32(v5))
	v15 ^= v0
	v15 = v15>>16 | v15<<48
	v10 += v15 + 2*uint64(uint32(v10))*uint64(uint32(v15))
	v5 ^= v10
	v5 = v5>>63 | v5<<1
	v1 += v6 + 2*uint64(uint32(v1))*uint64(uint32(v6))
	v12 ^= v1
	v12 = v12>>32 | v12<<32
	v11 += v12 + 2*uint64(uint32(v11))*uint64(uint32(v12))
	v6 ^= v11
	v6 = v6>>24 | v6<<40
	v1 += v6 + 2*uint64(uint32(v1))*uint64(uint32(v6))
	v12 ^= v1
	v12 = v12>>16 | v12<<48
	v11 += v12 + 2*uint64(uint32(v11))*uint64(uint32(v12))
	v6 ^= v11
	v6 = v6>>63 | v6<<1
	v2 += v7 + 2*uint64(uint32(v2))*uint64(uint32(v7))
	v13 ^= v2
	v13 = v13>>32 | v13<<32
	v8 += v13 + 2*uint64(uint32(v8))*uint64(uint32(v13))
	v7 ^= v8
	v7 = v7>>24 | v7<<40
	v2 += v7 + 2*uint64(uint32(v2))*uint64(uint32(v7))
	v13 ^= v2
	v13 = v13>>16 | v13<<48
	v8 += v13 + 2*uint64(uint32(v8))*uint64(uint32(v13))
	v7 ^= v8
	v7 = v7>>63 | v7<<1
	v3 += v4 + 2*uint64(uint32(v3))*uint64(uint32(v4))
	v14 ^= v3
	v14 = v14>>32 | v14<<32
	v9 += v14 + 2*uint64(uint32(v9))*uint64(uint32(v14))
	v4 ^= v9
	v4 = v4>>24 | v4<<40
	v3 += v4 + 2*uint64(uint32(v3))*uint64(uint32(v4))
	v14 ^= v3
	v14 = v14>>16 | v14<<48
	v9 += v14 + 2*uint64(uint32(v9))*uint64(uint32(v14))
	v4 ^= v9
	v4 = v4>>63 | v4<<1
	*p0, *p1, *p2, *p3, *p4, *p5, *p6, *p7 = v0, v1, v2, v3, v4, v5, v6, v7
	*p8, *p9, *p10, *p11, *p12, *p13, *p14, *p15 = v8, v9, v10, v11, v12, v13, v14, v15
}
