#pragma once
// The satisfaction question an exit kiosk asks after a check-out ("Will this activity help
// you improve your practice?", docs/satisfaction.md): which choice is highlighted, the keys
// people press, and when it times out. It is told the event and session the answer belongs
// to, and nothing else: it has no participant, badge or check-in to hand on, so the answer
// it gives the store cannot carry one.
//
// Keys and the wedge scanner: a USB scanner types into the same window, and a badge
// ("M1:...") contains digits. A digit or Enter is therefore taken as an answer only when it
// stands alone: no other key within the scanner's gap before it or after it (it is held
// that long, then taken at the next poll). Arrows and Esc are never typed by a scanner.
#include "muster/model/types.hpp"

#include <chrono>
#include <optional>

namespace muster::kiosk {

// A key, as the question reads it (the window maps the keyboard's keys: 1, 2, 3, the
// arrows, Enter, Esc; `other` is any other key, which only matters for the scanner rule).
enum class QuestionKey { agree, not_sure, disagree, previous, next, choose, skip, other };

struct QuestionSettings {
    bool enabled = true;                                  // device file: satisfaction_question
    std::chrono::milliseconds timeout{10'000};            // no answer by then: skipped, nothing stored
    std::chrono::milliseconds scanner_gap{35};            // WedgeDecoder's max_gap
};

class SatisfactionQuestion {
public:
    using Clock = std::chrono::steady_clock;

    // What an answer is stored with: the event and the session current at the check-out.
    struct Context {
        EventId event_id = 0;
        std::optional<SessionId> session_id;
    };
    struct Answer {
        Context context;
        SatisfactionAnswerKind answer = SatisfactionAnswerKind::agree;
    };
    enum class State { closed, waiting, answered, timed_out };

    explicit SatisfactionQuestion(QuestionSettings settings = {}) : settings_(settings) {}

    void ask(Context context, Clock::time_point now);
    // Dismissed unanswered (a scan arrived, or Skip): nothing is given to store.
    void close();
    bool is_open() const { return open_; }

    // A key at `at`; digits and Enter wait for poll() (the scanner rule above).
    void key(QuestionKey key, Clock::time_point at);
    // A tap on one of the three buttons: answered at once.
    void choose(SatisfactionAnswerKind answer);
    // Nothing highlighted until an arrow is pressed, so Enter alone never answers (and a
    // person pressing Enter to make the screen go away is not counted as agreeing).
    std::optional<SatisfactionAnswerKind> highlighted() const { return highlighted_; }

    // Once a frame: the answer when there is one (the question closes), timed_out when it
    // waited too long (closed, nothing to store), or waiting.
    State poll(Clock::time_point now);
    // Valid after poll() returned answered.
    const Answer& answer() const { return answer_; }

private:
    void take(SatisfactionAnswerKind answer);
    void move(int step);

    QuestionSettings settings_;
    bool open_ = false;
    Context context_;
    Clock::time_point since_{};  // asked, or the last key that showed someone is there
    std::optional<SatisfactionAnswerKind> highlighted_;
    std::optional<std::pair<QuestionKey, Clock::time_point>> held_;  // a digit or Enter, waiting out the gap
    std::optional<Clock::time_point> last_key_;
    std::optional<SatisfactionAnswerKind> taken_;
    Answer answer_;
};

}  // namespace muster::kiosk
