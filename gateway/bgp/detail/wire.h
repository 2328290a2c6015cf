// Internal: big-endian readers and writers over byte buffers, shared by codec and attributes.
// A Reader never reads past its end: every take*() first checks has(n) and callers test ok().
// Thread-safety: plain values over caller-owned memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace midonet::gateway::bgp::detail {

class Reader {
public:
    explicit Reader(std::span<const uint8_t> b) : b_(b) {}
    bool has(size_t n) const { return b_.size() - pos_ >= n; }
    size_t left() const { return b_.size() - pos_; }
    size_t pos() const { return pos_; }
    bool atEnd() const { return pos_ == b_.size(); }
    uint8_t u8() { return b_[pos_++]; }
    uint16_t u16()
    {
        uint16_t v = uint16_t(b_[pos_] << 8 | b_[pos_ + 1]);
        pos_ += 2;
        return v;
    }
    uint32_t u32()
    {
        uint32_t v = uint32_t(b_[pos_]) << 24 | uint32_t(b_[pos_ + 1]) << 16 |
                     uint32_t(b_[pos_ + 2]) << 8 | b_[pos_ + 3];
        pos_ += 4;
        return v;
    }
    std::span<const uint8_t> bytes(size_t n)
    {
        auto s = b_.subspan(pos_, n);
        pos_ += n;
        return s;
    }
    std::span<const uint8_t> rest() { return bytes(left()); }

private:
    std::span<const uint8_t> b_;
    size_t pos_ = 0;
};

class Writer {
public:
    explicit Writer(std::vector<uint8_t> &out) : o_(out) {}
    void u8(uint8_t v) { o_.push_back(v); }
    void u16(uint16_t v)
    {
        o_.push_back(uint8_t(v >> 8));
        o_.push_back(uint8_t(v));
    }
    void u32(uint32_t v)
    {
        u16(uint16_t(v >> 16));
        u16(uint16_t(v));
    }
    void bytes(std::span<const uint8_t> s) { o_.insert(o_.end(), s.begin(), s.end()); }
    size_t size() const { return o_.size(); }
    // Reserve a 1- or 2-octet length field now and fill it in once the body is written.
    size_t mark16()
    {
        u16(0);
        return o_.size();
    }
    void patch16(size_t mark)
    {
        size_t n = o_.size() - mark;
        o_[mark - 2] = uint8_t(n >> 8);
        o_[mark - 1] = uint8_t(n);
    }
    size_t mark8()
    {
        u8(0);
        return o_.size();
    }
    void patch8(size_t mark) { o_[mark - 1] = uint8_t(o_.size() - mark); }
    std::vector<uint8_t> &buffer() { return o_; }

private:
    std::vector<uint8_t> &o_;
};

} // namespace midonet::gateway::bgp::detail
