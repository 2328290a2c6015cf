// Plain values that travel from the API client to models and views: the outcome of one REST call
// and the server's per-field validation messages. No network types here, so views may include it.
//
// Thread-safety: plain values; copy freely.
#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUrl>

namespace midonet::manager {

// One entry of the error body's `violations` array: `property` is the field path the server
// rejected (e.g. "portAddress"), `message` what rule it broke.
struct Violation
{
    QString property;
    QString message;
};

struct ApiResult
{
    int status = 0;           // HTTP status; 0 when no HTTP answer came (connection refused, ...)
    QJsonValue body;          // parsed JSON body, Undefined when empty
    QUrl location;            // `Location` of a 201
    QString message;          // error text: the server's `message`, or the transport error
    QList<Violation> violations;

    bool ok() const { return status >= 200 && status < 300; }
    // One line for a status bar: "400: Validation error(s) found (portAddress: is an invalid IP format)".
    QString errorText() const;
};

} // namespace midonet::manager
