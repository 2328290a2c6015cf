// Interactive line input for midonet-cli over libedit (BSD-licensed; GNU readline is GPL and the
// project is Apache-2.0), through libedit's readline-compatible interface. Tab completes the
// word before the cursor with the candidates a Completer returns for the line up to that word;
// one candidate gets a trailing space, several are listed. History is kept in memory, and in a
// file when one is given.
//
// Invariants: at most one LineEditor exists at a time (libedit's readline layer is global).
//
// Thread-safety: main thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace midonet::cli {

class LineEditor {
public:
    using Completer = std::function<std::vector<std::string>(std::string_view lineBeforeWord)>;

    LineEditor(std::string prompt, Completer completer, std::string historyFile = {});
    ~LineEditor();
    LineEditor(const LineEditor &) = delete;
    LineEditor &operator=(const LineEditor &) = delete;

    // nullopt at end of input (Ctrl-D).
    std::optional<std::string> readLine();

private:
    std::string prompt_;
    std::string historyFile_;
};

} // namespace midonet::cli
