// Result<T>: a value or a ParseError (std::expected is C++23; this is the part we need).
// Errors carry a static message and the byte offset where parsing stopped, so producing one
// never allocates: the parse path stays allocation-free even for garbage input.
//
// Invariants: exactly one of value / error is present; value() on an error (or error() on a
// value) is a programming error and asserts.
// Thread-safety: plain values, no shared state.
#pragma once

#include <cassert>
#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace midonet::packet {

enum class ParseError {
    Truncated,            // a header runs past the end of the buffer
    TooManyVlanTags,      // more than two 802.1Q/802.1ad tags
    BadArp,               // not Ethernet/IPv4 ARP (hlen 6, plen 4)
    BadIpVersion,         // version nibble disagrees with the ethertype
    BadIpHeaderLength,    // IPv4 IHL < 5
    BadIpTotalLength,     // IPv4 total length shorter than its header
    BadIpv6Extension,     // extension header chain too long or malformed
    BadTcpHeaderLength,   // TCP data offset < 5
    BadUdpLength,         // UDP length < 8
    BadNdOption,          // ICMPv6 ND option with length 0 or past the end
};

const char *toString(ParseError e); // "truncated", "bad-ip-header-length", ...

struct Error {
    ParseError code = ParseError::Truncated;
    const char *message = "";   // static text naming the header and the rule broken
    size_t offset = 0;          // where in the buffer parsing stopped

    std::string toString() const; // "truncated at 14: IPv4 header needs 20 bytes"
};

template <class T> class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error e) : v_(e) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const & { assert(ok()); return std::get<0>(v_); }
    T &value() & { assert(ok()); return std::get<0>(v_); }
    T &&value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }
    const Error &error() const { assert(!ok()); return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

} // namespace midonet::packet
