#include "cli/line_editor.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <editline/readline.h>

namespace midonet::cli {

namespace {

LineEditor::Completer *activeCompleter = nullptr;
std::vector<std::string> matches; // candidates of the current completion
char wordBreaks[] = " \t\n";      // words are space-separated: ':' and ',' belong to aliases

char *nextMatch(const char *, int state)
{
    static size_t index;
    if (state == 0) index = 0;
    if (index >= matches.size()) return nullptr;
    return strdup(matches[index++].c_str()); // libedit frees it
}

char **attemptCompletion(const char *text, int start, int)
{
    rl_attempted_completion_over = 1; // never fall back to file names
    matches.clear();
    if (activeCompleter) {
        std::string line(rl_line_buffer, static_cast<size_t>(start));
        line += text;
        matches = (*activeCompleter)(line);
    }
    if (matches.empty()) return nullptr;
    return rl_completion_matches(text, nextMatch);
}

} // namespace

LineEditor::LineEditor(std::string prompt, Completer completer, std::string historyFile)
    : prompt_(std::move(prompt)), historyFile_(std::move(historyFile))
{
    activeCompleter = new Completer(std::move(completer));
    rl_readline_name = "midonet-cli";
    rl_attempted_completion_function = attemptCompletion;
    rl_completer_word_break_characters = wordBreaks;
    rl_completion_append_character = ' ';
    using_history();
    stifle_history(1000);
    if (!historyFile_.empty()) read_history(historyFile_.c_str());
}

LineEditor::~LineEditor()
{
    if (!historyFile_.empty()) write_history(historyFile_.c_str());
    rl_attempted_completion_function = nullptr;
    delete activeCompleter;
    activeCompleter = nullptr;
}

std::optional<std::string> LineEditor::readLine()
{
    char *raw = readline(prompt_.c_str());
    if (!raw) return std::nullopt;
    std::string line(raw);
    std::free(raw);
    if (line.find_first_not_of(" \t") != std::string::npos) add_history(line.c_str());
    return line;
}

} // namespace midonet::cli
