#include "satisfaction_question.hpp"

#include <array>

namespace muster::kiosk {
namespace {

constexpr std::array choices{SatisfactionAnswerKind::agree, SatisfactionAnswerKind::not_sure,
                             SatisfactionAnswerKind::disagree};

bool waits_out_the_gap(QuestionKey k) {
    return k == QuestionKey::agree || k == QuestionKey::not_sure || k == QuestionKey::disagree || k == QuestionKey::choose;
}

}  // namespace

void SatisfactionQuestion::ask(Context context, Clock::time_point now) {
    open_ = true;
    context_ = context;
    since_ = now;
    highlighted_.reset();
    held_.reset();
    last_key_.reset();
    taken_.reset();
}

void SatisfactionQuestion::close() {
    open_ = false;
    held_.reset();
    taken_.reset();
    highlighted_.reset();
}

void SatisfactionQuestion::key(QuestionKey key, Clock::time_point at) {
    if (!open_) return;
    bool after_another = last_key_ && at - *last_key_ <= settings_.scanner_gap;
    last_key_ = at;
    if (held_ && at - held_->second <= settings_.scanner_gap) held_.reset();  // it was the start of a burst
    switch (key) {
    case QuestionKey::previous: move(-1); break;
    case QuestionKey::next: move(+1); break;
    case QuestionKey::skip: close(); return;
    case QuestionKey::other: return;
    default:
        if (waits_out_the_gap(key) && !after_another) held_ = {key, at};
        return;
    }
    since_ = at;  // someone is choosing: the timeout starts again
}

void SatisfactionQuestion::move(int step) {
    if (!highlighted_) {
        highlighted_ = step > 0 ? choices.front() : choices.back();
        return;
    }
    int at = static_cast<int>(*highlighted_);  // the enum is in screen order
    at = (at + step + static_cast<int>(choices.size())) % static_cast<int>(choices.size());
    highlighted_ = choices[static_cast<std::size_t>(at)];
}

void SatisfactionQuestion::choose(SatisfactionAnswerKind answer) {
    if (open_) take(answer);
}

void SatisfactionQuestion::take(SatisfactionAnswerKind answer) {
    taken_ = answer;
    held_.reset();
}

SatisfactionQuestion::State SatisfactionQuestion::poll(Clock::time_point now) {
    if (!open_) return State::closed;
    if (held_ && now - held_->second > settings_.scanner_gap) {
        auto k = held_->first;
        held_.reset();
        if (k == QuestionKey::agree) take(SatisfactionAnswerKind::agree);
        else if (k == QuestionKey::not_sure) take(SatisfactionAnswerKind::not_sure);
        else if (k == QuestionKey::disagree) take(SatisfactionAnswerKind::disagree);
        else if (highlighted_) take(*highlighted_);  // Enter: only with a choice highlighted
    }
    if (taken_) {
        answer_ = {context_, *taken_};
        close();
        return State::answered;
    }
    if (now - since_ > settings_.timeout) {
        close();
        return State::timed_out;
    }
    return State::waiting;
}

}  // namespace muster::kiosk
