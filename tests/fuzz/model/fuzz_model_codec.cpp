// Decodes arbitrary bytes as every model type, in every view. Properties checked:
//  - no crash, no sanitizer report, only ValidationError / ModelError escape the codec;
//  - whatever decodes is a fixed point: encode(decode(x)) decodes again to the same document;
//  - referential checks and delete plans over a resolver holding the object never crash.
#include "common/model/cascade.h"
#include "common/model/model.h"
#include "common/model/references.h"

#include <cstdio>
#include <cstdlib>

using namespace midonet::model;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json doc;
    try {
        doc = parseJson(std::string_view(reinterpret_cast<const char *>(data), size));
    } catch (const ValidationError &) {
        return 0;
    }
    for (const auto &t : allTypes()) {
        for (auto opts : {DecodeOptions::apiInput(), DecodeOptions::apiDocument(),
                          DecodeOptions::store()}) {
            if (!t.validate(doc, opts).empty()) continue;
            View view = opts.view;
            json once = t.normalize(doc, opts, view);
            auto keep = opts.view == View::Store ? DecodeOptions::store()
                                                 : DecodeOptions::apiDocument();
            json twice;
            try {
                twice = t.normalize(once, keep, view);
            } catch (const ValidationError &e) {
                std::fprintf(stderr, "%s: re-decode failed: %s\n%s\n", t.schema->name.c_str(),
                             e.toJson().dump().c_str(), once.dump().c_str());
                std::abort();
            }
            if (twice != once) {
                std::fprintf(stderr, "%s: not a fixed point\n%s\n%s\n", t.schema->name.c_str(),
                             once.dump().c_str(), twice.dump().c_str());
                std::abort();
            }
            if (t.type.empty() || view != View::Store) continue;
            MemoryResolver r;
            auto id = midonet::util::Uuid::random();
            r.put(t.type, id, once);
            try {
                checkReferences(r, t.type, once);
            } catch (const ModelError &) {
            }
            try {
                r.apply(planDelete(r, t.type, id));
            } catch (const ModelError &) {
            }
        }
    }
    return 0;
}
