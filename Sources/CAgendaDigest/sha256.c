#include "agenda_digest.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void agenda_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
    for (; blocks > 0; blocks--, data += 64) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++) {
            w[t] = (uint32_t)data[4 * t] << 24 | (uint32_t)data[4 * t + 1] << 16 |
                   (uint32_t)data[4 * t + 2] << 8 | (uint32_t)data[4 * t + 3];
        }
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>

// The SHA-NI round structure (Intel, "New Instructions Supporting the Secure Hash Algorithm on
// Intel Architecture Processors", 2013): the state lives in two registers as ABEF and CDGH, each
// sha256rnds2 does two rounds, and sha256msg1/msg2 extend the message schedule four words at a time.
#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3"), always_inline)) static inline

// The state words A..H into the registers' ABEF and CDGH order.
SHA_TARGET void loadState(const uint32_t state[8], __m128i *abef, __m128i *cdgh) {
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);   // DCBA → CDAB
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);  // HGFE → EFGH
    *abef = _mm_alignr_epi8(tmp, efgh, 8);
    *cdgh = _mm_blend_epi16(efgh, tmp, 0xF0);
}

// And back.
SHA_TARGET void storeState(uint32_t state[8], __m128i abef, __m128i cdgh) {
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));  // DCBA
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));     // HGFE
}

// Rounds 4g to 4g+3 of the block at `data`: its message words W[4g..4g+3] into m[g & 3] (read
// from the block for the first four groups, else extended from the last sixteen words), then
// the four rounds on the state.
SHA_TARGET void rounds4(int g, const uint8_t *data, __m128i m[4], __m128i *abef, __m128i *cdgh) {
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    if (g < 4) {
        m[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * g)), byteSwap);
    } else {
        // W[t..t+3] = σ1-part(W[t-2], W[t-1]) + W[t-7..] + σ0-part(W[t-15..]) + W[t-16..]
        __m128i next = _mm_sha256msg1_epu32(m[(g - 4) & 3], m[(g - 3) & 3]);
        next = _mm_add_epi32(next, _mm_alignr_epi8(m[(g - 1) & 3], m[(g - 2) & 3], 4));
        m[g & 3] = _mm_sha256msg2_epu32(next, m[(g - 1) & 3]);
    }
    __m128i msg = _mm_add_epi32(m[g & 3], _mm_loadu_si128((const __m128i *)&K[4 * g]));
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, msg);
    msg = _mm_shuffle_epi32(msg, 0x0E);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, msg);
}

__attribute__((target("sha,sse4.1,ssse3")))
static void sha256_ni(uint32_t state[8], const uint8_t *data, size_t blocks) {
    __m128i abef, cdgh;
    loadState(state, &abef, &cdgh);
    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abefSaved = abef, cdghSaved = cdgh;
        __m128i m[4];
#pragma clang loop unroll(full)
        for (int g = 0; g < 16; g++) rounds4(g, data, m, &abef, &cdgh);
        abef = _mm_add_epi32(abef, abefSaved);
        cdgh = _mm_add_epi32(cdgh, cdghSaved);
    }
    storeState(state, abef, cdgh);
}

// The same rounds for two messages at once, each in its own registers. sha256rnds2 waits for its
// previous result: one message leaves the unit idle between rounds, and a second one's rounds fill
// those gaps, so two streams hash in less time than one after the other.
__attribute__((target("sha,sse4.1,ssse3")))
static void sha256_ni_x2(uint32_t stateA[8], const uint8_t *a, uint32_t stateB[8], const uint8_t *b, size_t blocks) {
    __m128i abefA, cdghA, abefB, cdghB;
    loadState(stateA, &abefA, &cdghA);
    loadState(stateB, &abefB, &cdghB);
    for (; blocks > 0; blocks--, a += 64, b += 64) {
        const __m128i abefSavedA = abefA, cdghSavedA = cdghA, abefSavedB = abefB, cdghSavedB = cdghB;
        __m128i mA[4], mB[4];
#pragma clang loop unroll(full)
        for (int g = 0; g < 16; g++) {
            rounds4(g, a, mA, &abefA, &cdghA);
            rounds4(g, b, mB, &abefB, &cdghB);
        }
        abefA = _mm_add_epi32(abefA, abefSavedA);
        cdghA = _mm_add_epi32(cdghA, cdghSavedA);
        abefB = _mm_add_epi32(abefB, abefSavedB);
        cdghB = _mm_add_epi32(cdghB, cdghSavedB);
    }
    storeState(stateA, abefA, cdghA);
    storeState(stateB, abefB, cdghB);
}

static int hasSHAInstructions(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return ssse3 && sse41 && ((b >> 29) & 1);
}
#endif

int agenda_sha256_uses_hardware(void) {
#if defined(__x86_64__) || defined(__i386__)
    // Every thread computes the same answer, so relaxed atomics are enough.
    static int cached = -1;
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known < 0) {
        known = hasSHAInstructions();
        __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    }
    return known;
#else
    return 0;
#endif
}

void agenda_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
#if defined(__x86_64__) || defined(__i386__)
    if (agenda_sha256_uses_hardware()) {
        sha256_ni(state, data, blocks);
        return;
    }
#endif
    agenda_sha256_blocks_portable(state, data, blocks);
}

void agenda_sha256_blocks_x2(uint32_t stateA[8], const uint8_t *a, uint32_t stateB[8], const uint8_t *b, size_t blocks) {
#if defined(__x86_64__) || defined(__i386__)
    if (agenda_sha256_uses_hardware()) {
        sha256_ni_x2(stateA, a, stateB, b, blocks);
        return;
    }
#endif
    agenda_sha256_blocks_portable(stateA, a, blocks);
    agenda_sha256_blocks_portable(stateB, b, blocks);
}
