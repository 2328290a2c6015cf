// Errors a user can cause through the object model: invalid input (400, with one violation per
// field and rule, in MidoNet's error body shape) and broken references (404 for a missing object,
// 409 for a conflict such as linking an already linked port).
//
// Invariants: every Violation names the property it is about with the JSON path the client sent
// ("natTargets[0].addressTo", "condition.nwSrcLength"); an empty property means the document as
// a whole (malformed JSON, not an object). ValidationError::violations() may be empty only for
// malformed documents, where message() carries the parser's explanation.
//
// Thread-safety: plain values; exceptions are immutable after construction.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace midonet::model {

struct Violation {
    std::string property;
    std::string message;
    bool operator==(const Violation &) const = default;
};
using Violations = std::vector<Violation>;

// Base of every error the model raises on purpose; carries the HTTP status the REST layer sends.
class ModelError : public std::runtime_error
{
public:
    ModelError(int httpCode, const std::string &message)
        : std::runtime_error(message), code_(httpCode)
    {
    }
    int httpCode() const { return code_; }
    // MidoNet's error body: {"message":..., "code":...} (subclasses add fields).
    virtual nlohmann::json toJson() const;

private:
    int code_;
};

// 400: {"message":"Validation error(s) found","code":400,"violations":[{property,message}...]}.
class ValidationError : public ModelError
{
public:
    explicit ValidationError(Violations violations);
    // A malformed document (truncated JSON, too deep, not an object): no per-field violations.
    static ValidationError malformed(const std::string &message);
    // One violation.
    ValidationError(std::string property, std::string message);

    const Violations &violations() const { return violations_; }
    nlohmann::json toJson() const override;

private:
    ValidationError(const std::string &message, Violations violations);
    Violations violations_;
};

// 404 (referenced object missing) or 409 (conflict), naming the field that refers.
class ReferenceError : public ModelError
{
public:
    ReferenceError(int httpCode, std::string property, const std::string &message)
        : ModelError(httpCode, message), property_(std::move(property))
    {
    }
    const std::string &property() const { return property_; }

private:
    std::string property_;
};

// Formats "must be between lo and hi" the way every range message reads.
std::string rangeMessage(long long lo, long long hi);

} // namespace midonet::model
