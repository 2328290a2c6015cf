// Internal: a per-thread memo of NSDB documents already decoded through the model, so a GET of
// an object nobody changed does not parse and validate the same text again (the hot path of
// every read: one item, and each item of a listing).
//
// Invariants: an entry is used only when the stored text is byte for byte the text it was
// decoded from (decoding is a pure function of the text), so a change, a delete and re-create,
// or another instance's write can never serve a stale object; a document that fails to decode
// is never cached. At most kMaxEntries objects per type and thread (then the memo starts over).
// Thread-safety: thread_local, one memo per I/O thread and type: no lock.
#pragma once

#include "common/model/codec.h"
#include "common/util/uuid.h"

#include <string>
#include <unordered_map>

namespace midonet::cluster::detail {

template <class T> class DecodeCache {
public:
    static constexpr size_t kMaxEntries = 2048;

    const T &decode(const util::Uuid &id, std::string text)
    {
        auto it = entries_.find(id);
        if (it != entries_.end() && it->second.text == text) return it->second.obj;
        T obj = model::decodeText<T>(text, model::DecodeOptions::store()); // throws: nothing cached
        if (it == entries_.end()) {
            if (entries_.size() >= kMaxEntries) entries_.clear();
            it = entries_.emplace(id, Entry{}).first;
        }
        it->second.text = std::move(text);
        it->second.obj = std::move(obj);
        return it->second.obj;
    }

private:
    struct Entry {
        std::string text;
        T obj;
    };
    std::unordered_map<util::Uuid, Entry> entries_;
};

// The object stored as `text` under `id`, decoded with the store's options (ModelError if the
// text is not a valid T).
template <class T> T decodeStored(const util::Uuid &id, std::string text)
{
    thread_local DecodeCache<T> cache;
    return cache.decode(id, std::move(text));
}

} // namespace midonet::cluster::detail
