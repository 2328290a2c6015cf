// Test helper: bytes from hex text ("ff 00 1a", spaces ignored) and BGP message framing.
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <span>
#include <vector>

inline QByteArray hexBytes(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

// A whole message: marker, correct length, type, body.
inline QByteArray bgpMessage(uint8_t type, const QByteArray &body)
{
    QByteArray m(16, char(0xff));
    int len = 19 + int(body.size());
    m.append(char(len >> 8)).append(char(len & 0xff)).append(char(type)).append(body);
    return m;
}

inline std::span<const uint8_t> bytesOf(const QByteArray &b)
{
    return {reinterpret_cast<const uint8_t *>(b.constData()), size_t(b.size())};
}

inline QByteArray fromVector(const std::vector<uint8_t> &v)
{
    return QByteArray(reinterpret_cast<const char *>(v.data()), qsizetype(v.size()));
}
