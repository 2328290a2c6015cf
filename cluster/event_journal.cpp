#include "cluster/event_journal.h"

#include "common/util/uuid.h"

namespace midonet::cluster {

nlohmann::json ChangeEvent::toJson() const
{
    return {{"version", version}, {"type", type}, {"id", id}, {"op", op}, {"object", object}};
}

EventJournal::EventJournal(size_t capacity, std::string epoch) : capacity_(capacity ? capacity : 1), epoch_(std::move(epoch))
{
    if (epoch_.empty()) epoch_ = util::Uuid::random().toString().substr(0, 8);
}

void EventJournal::start(uint64_t version)
{
    std::lock_guard lock(mutex_);
    if (events_.empty()) floor_ = last_ = version;
}

void EventJournal::append(ChangeEvent e)
{
    std::lock_guard lock(mutex_);
    if (e.version <= last_) return;
    last_ = e.version;
    events_.push_back(std::move(e));
    while (events_.size() > capacity_) {
        floor_ = events_.front().version;
        events_.pop_front();
    }
    for (auto &[id, sink] : sinks_) sink(events_.back());
}

EventJournal::Backlog EventJournal::subscribe(uint64_t since, Sink sink)
{
    std::lock_guard lock(mutex_);
    Backlog b;
    b.complete = since >= floor_;
    for (const auto &e : events_)
        if (e.version > since) b.events.push_back(e);
    b.subscription = nextSubscription_++;
    sinks_.emplace(b.subscription, std::move(sink));
    return b;
}

void EventJournal::unsubscribe(uint64_t subscription)
{
    std::lock_guard lock(mutex_);
    sinks_.erase(subscription);
}

uint64_t EventJournal::lastVersion() const
{
    std::lock_guard lock(mutex_);
    return last_;
}

size_t EventJournal::subscribers() const
{
    std::lock_guard lock(mutex_);
    return sinks_.size();
}

} // namespace midonet::cluster
