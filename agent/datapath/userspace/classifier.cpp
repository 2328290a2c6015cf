#include "agent/datapath/userspace/classifier.h"

#include <algorithm>

namespace midonet::dp::userspace {

using namespace midonet::flow;

Classifier::Subtable *Classifier::subtableFor(const FlowMask &mask) const
{
    for (const auto &st : subtables_)
        if (st->mask == mask)
            return st.get();
    return nullptr;
}

void Classifier::sortSubtables()
{
    std::stable_sort(subtables_.begin(), subtables_.end(), [](const auto &a, const auto &b) {
        if (a->maxPriority != b->maxPriority)
            return a->maxPriority > b->maxPriority;
        return a->hits.load(std::memory_order_relaxed) - a->hitsAtSort >
               b->hits.load(std::memory_order_relaxed) - b->hitsAtSort;
    });
}

ClassifierRule *Classifier::insert(ClassifierRule *rule)
{
    Subtable *st = subtableFor(rule->match.mask);
    if (!st) {
        subtables_.push_back(std::make_unique<Subtable>());
        st = subtables_.back().get();
        st->mask = rule->match.mask;
        st->maxPriority = rule->priority;
    }
    auto &bucket = st->rules[rule->match.key];
    for (ClassifierRule *r : bucket)
        if (r->priority == rule->priority)
            return r;
    bucket.insert(std::find_if(bucket.begin(), bucket.end(),
                               [&](ClassifierRule *r) { return r->priority < rule->priority; }),
                  rule);
    ++size_;
    if (rule->priority > st->maxPriority || st->rules.size() == 1)
        st->maxPriority = std::max(st->maxPriority, rule->priority);
    sortSubtables();
    return nullptr;
}

bool Classifier::remove(ClassifierRule *rule)
{
    Subtable *st = subtableFor(rule->match.mask);
    if (!st)
        return false;
    auto it = st->rules.find(rule->match.key);
    if (it == st->rules.end())
        return false;
    auto &bucket = it->second;
    auto pos = std::find(bucket.begin(), bucket.end(), rule);
    if (pos == bucket.end())
        return false;
    bucket.erase(pos);
    if (bucket.empty())
        st->rules.erase(it);
    --size_;
    if (st->rules.empty()) {
        subtables_.erase(std::find_if(subtables_.begin(), subtables_.end(),
                                      [&](const auto &p) { return p.get() == st; }));
        return true;
    }
    if (rule->priority == st->maxPriority) {
        int m = INT32_MIN;
        for (const auto &[k, b] : st->rules)
            m = std::max(m, b.front()->priority);
        st->maxPriority = m;
        sortSubtables();
    }
    return true;
}

void Classifier::clear()
{
    subtables_.clear();
    size_ = 0;
}

void Classifier::resort()
{
    sortSubtables();
    for (auto &st : subtables_)
        st->hitsAtSort = st->hits.load(std::memory_order_relaxed);
}

ClassifierRule *Classifier::lookup(const FlowKey &key, int *probes) const
{
    ClassifierRule *best = nullptr;
    int n = 0;
    for (const auto &st : subtables_) {
        if (best && st->maxPriority <= best->priority)
            break;
        ++n;
        auto it = st->rules.find(applyMask(key, st->mask));
        if (it != st->rules.end()) {
            ClassifierRule *r = it->second.front();
            if (!best || r->priority > best->priority)
                best = r;
            st->hits.fetch_add(1, std::memory_order_relaxed);
        }
    }
    if (probes)
        *probes = n;
    return best;
}

ClassifierRule *Classifier::find(const FlowMatch &match, int priority) const
{
    Subtable *st = subtableFor(match.mask);
    if (!st)
        return nullptr;
    auto it = st->rules.find(match.key);
    if (it == st->rules.end())
        return nullptr;
    for (ClassifierRule *r : it->second)
        if (r->priority == priority)
            return r;
    return nullptr;
}

std::string Classifier::checkInvariants() const
{
    size_t count = 0;
    for (size_t i = 0; i < subtables_.size(); ++i) {
        const Subtable &st = *subtables_[i];
        if (st.rules.empty())
            return "subtable " + std::to_string(i) + " is empty";
        if (i > 0 && subtables_[i - 1]->maxPriority < st.maxPriority)
            return "subtables out of priority order at " + std::to_string(i);
        for (size_t j = 0; j < i; ++j)
            if (subtables_[j]->mask == st.mask)
                return "two subtables share mask " + st.mask.toString();
        int maxp = INT32_MIN;
        for (const auto &[key, bucket] : st.rules) {
            if (bucket.empty())
                return "empty bucket in subtable " + std::to_string(i);
            if (!(applyMask(key, st.mask) == key))
                return "unmasked key in subtable " + std::to_string(i);
            for (size_t b = 0; b < bucket.size(); ++b) {
                const ClassifierRule *r = bucket[b];
                if (!(r->match.mask == st.mask) || !(r->match.key == key))
                    return "rule filed under the wrong mask or key: " + r->match.toString();
                if (b > 0 && bucket[b - 1]->priority <= r->priority)
                    return "bucket not strictly ordered by priority: " + r->match.toString();
                maxp = std::max(maxp, r->priority);
                ++count;
            }
        }
        if (maxp != st.maxPriority)
            return "subtable " + std::to_string(i) + " maxPriority is stale";
    }
    if (count != size_)
        return "size() is " + std::to_string(size_) + " but " + std::to_string(count) +
               " rules are filed";
    return {};
}

} // namespace midonet::dp::userspace
