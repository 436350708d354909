// Language and text services: BCP 47, NFC, collation, slugs, grapheme clusters.
#include <memory>
#include <map>
#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/utext.h>

#include "internal.hpp"

using namespace icu;
using agenda::copyOut;
using agenda::utf8;

extern "C" {

int32_t agenda_language_canonical(const char *tag, char *out, int32_t cap) {
    std::string t = tag ? tag : "";
    for (char &ch : t)
        if (ch == '_') ch = '-';
    if (t.empty()) return AGENDA_E_ARGUMENT;
    UErrorCode status = U_ZERO_ERROR;
    Locale loc = Locale::forLanguageTag(t, status);
    if (U_FAILURE(status) || loc.isBogus()) return AGENDA_E_ARGUMENT;
    loc.canonicalize(status);
    std::string result = loc.toLanguageTag<std::string>(status);
    if (U_FAILURE(status) || result.empty() || result == "und") return AGENDA_E_ARGUMENT;
    return copyOut(result, out, cap);
}

int32_t agenda_is_nfc(const char *text, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    const Normalizer2 *nfc = Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return 0;
    UBool yes = nfc->isNormalizedUTF8(StringPiece(text, length), status);
    return U_SUCCESS(status) && yes ? 1 : 0;
}

int32_t agenda_nfc(const char *text, int32_t length, char *out, int32_t cap) {
    UErrorCode status = U_ZERO_ERROR;
    const Normalizer2 *nfc = Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return AGENDA_E_ICU;
    std::string result;
    StringByteSink<std::string> sink(&result);
    nfc->normalizeUTF8(0, StringPiece(text, length), sink, nullptr, status);
    if (U_FAILURE(status)) return AGENDA_E_ICU;
    return copyOut(result, out, cap);
}

int32_t agenda_sort_key(const char *locale, const char *text, int32_t length, uint8_t *out, int32_t cap) {
    thread_local std::map<std::string, std::unique_ptr<Collator>> collators;
    auto &c = collators[locale];
    if (!c) {
        UErrorCode status = U_ZERO_ERROR;
        c.reset(Collator::createInstance(Locale(locale), status));
        if (U_FAILURE(status) || !c) {
            collators.erase(locale);
            return AGENDA_E_ARGUMENT;
        }
    }
    UnicodeString s = UnicodeString::fromUTF8(StringPiece(text, length));
    return c->getSortKey(s, out, cap);
}

int32_t agenda_slug(const char *text, int32_t length, char *out, int32_t cap) {
    thread_local std::unique_ptr<Transliterator> translit;
    if (!translit) {
        UErrorCode status = U_ZERO_ERROR;
        translit.reset(Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
        if (U_FAILURE(status)) {
            translit.reset();
            return AGENDA_E_ICU;
        }
    }
    UnicodeString s = UnicodeString::fromUTF8(StringPiece(text, length));
    translit->transliterate(s);
    std::string ascii = utf8(s), slug;
    bool dash = false;
    for (unsigned char ch : ascii) {
        bool keep = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (ch >= 'A' && ch <= 'Z') {
            ch = ch - 'A' + 'a';
            keep = true;
        }
        if (keep) {
            if (dash && !slug.empty()) slug += '-';
            slug += char(ch);
            dash = false;
        } else {
            dash = true;
        }
    }
    return copyOut(slug, out, cap);
}

// One grapheme iterator per thread: creating one costs far more than using it.
static BreakIterator *graphemeIterator() {
    thread_local std::unique_ptr<BreakIterator> iter;
    if (!iter) {
        UErrorCode status = U_ZERO_ERROR;
        iter.reset(BreakIterator::createCharacterInstance(Locale::getRoot(), status));
        if (U_FAILURE(status)) iter.reset();
    }
    return iter.get();
}

// The thread's grapheme iterator set on a caller's UTF-8 buffer for one call; on the way out it
// drops the reference to the buffer and closes the UText.
namespace {
struct GraphemeText {
    BreakIterator *iter = graphemeIterator();
    UText ut = UTEXT_INITIALIZER;
    bool ok = false;

    GraphemeText(const char *text, int32_t length) {
        if (!iter) return;
        UErrorCode status = U_ZERO_ERROR;
        utext_openUTF8(&ut, text, length, &status);
        if (U_FAILURE(status)) return;
        iter->setText(&ut, status);
        ok = U_SUCCESS(status);
    }
    ~GraphemeText() {
        if (iter) iter->setText(UnicodeString());
        utext_close(&ut);
    }
};
}  // namespace

/// Whether the text may be cut at `at` (the start of a UTF-8 sequence, `at` >= 1) by rules that
/// need no ICU: on both sides a character below U+0300 (ASCII, Latin-1, Latin Extended), but not
/// CR LF. Those characters have Grapheme_Cluster_Break Other or Control (combining marks start at
/// U+0300), so UAX #29 always breaks between them; that is every cut in Spanish or English text.
static bool isPlainBoundary(const uint8_t *t, int32_t at) {
    uint8_t after = t[at], before = t[at - 1];
    bool afterPlain = after < 0x80 || (after >= 0xC2 && after <= 0xCB);
    // A continuation byte ends a two-byte sequence below U+0300 when the byte before it is a
    // lead byte C2..CB (continuation bytes are 80..BF, so that byte can only be a lead byte).
    bool beforePlain = before < 0x80 || ((before & 0xC0) == 0x80 && at >= 2 && t[at - 2] >= 0xC2 && t[at - 2] <= 0xCB);
    return afterPlain && beforePlain && !(before == '\r' && after == '\n');
}

int32_t agenda_fold_points(const char *text, int32_t length, int32_t firstLimit, int32_t limit, int32_t *out,
                           int32_t cap) {
    // ICU is set up only for a cut it has to judge: see isPlainBoundary.
    std::unique_ptr<GraphemeText> g;
    int32_t count = 0, start = 0, room = firstLimit;
    const uint8_t *bytes = reinterpret_cast<const uint8_t *>(text);
    while (length - start > room) {
        int32_t limitOffset = start + room;
        int32_t sequenceStart = limitOffset;
        while (sequenceStart > start + 1 && (bytes[sequenceStart] & 0xC0) == 0x80) sequenceStart--;
        if (isPlainBoundary(bytes, sequenceStart)) {
            if (count < cap) out[count] = sequenceStart;
            count++;
            start = sequenceStart;
            room = limit;
            continue;
        }
        if (!g) {
            g = std::make_unique<GraphemeText>(text, length);
            if (!g->ok) return AGENDA_E_ICU;
        }
        BreakIterator *iter = g->iter;
        // The last boundary at or before start + room; ICU finds it from the nearest safe point,
        // without segmenting the text before it. ICU moves an offset inside a UTF-8 sequence to
        // the sequence's start before looking *before* it, so the offset is moved there first.
        while (limitOffset > start && (uint8_t(text[limitOffset]) & 0xC0) == 0x80) limitOffset--;
        int32_t cut = iter->isBoundary(limitOffset) ? limitOffset : iter->preceding(limitOffset);
        if (cut == BreakIterator::DONE || cut <= start) {
            // One cluster longer than a line: cut between UTF-8 sequences.
            cut = start + room;
            while (cut > start + 1 && (uint8_t(text[cut]) & 0xC0) == 0x80) cut--;
        }
        if (count < cap) out[count] = cut;
        count++;
        start = cut;
        room = limit;
    }
    return count;
}

int32_t agenda_grapheme_boundaries(const char *text, int32_t length, int32_t *out, int32_t cap) {
    GraphemeText g(text, length);
    if (!g.ok) return AGENDA_E_ICU;
    BreakIterator *iter = g.iter;
    int32_t count = 0;
    for (int32_t b = iter->first(); b != BreakIterator::DONE; b = iter->next()) {
        if (count < cap) out[count] = b;
        count++;
    }
    return count;
}

}  // extern "C"
