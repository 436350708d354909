// SHA-256 block function for the manifest's hashes (Sources/Agenda/SHA256.swift keeps the
// buffering and padding). Plain C so that the x86 SHA extensions can be used: hashing every byte
// of a 100,000-event export in portable code was the largest single cost of the export.
#ifndef AGENDA_DIGEST_H
#define AGENDA_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Compresses `blocks` 64-byte blocks from `data` into `state` (FIPS 180-4, section 6.2.2),
/// with the CPU's SHA instructions when it has them.
void agenda_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The same in portable C, whatever the CPU; the tests compare the two.
void agenda_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

/// `blocks` blocks of two messages at once (`a` into `stateA`, `b` into `stateB`), the same as
/// two calls of `agenda_sha256_blocks`: with the SHA instructions the two interleave, in about
/// four fifths of the time of the two calls.
void agenda_sha256_blocks_x2(uint32_t stateA[8], const uint8_t *a, uint32_t stateB[8], const uint8_t *b, size_t blocks);

/// 1 when `agenda_sha256_blocks` uses the SHA instructions, else 0.
int agenda_sha256_uses_hardware(void);

#ifdef __cplusplus
}
#endif

#endif
