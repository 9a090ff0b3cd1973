#pragma once
// A reply that goes on: a Server-Sent Events stream (the register's live updates,
// docs/register.md "Live updates"). An API asks the HTTP layer for one by putting a source in
// ApiResponse::stream; the HTTP layer writes the status and headers, then the source's opening,
// then one event per change the ChangeFeed publishes (coalesced), with keep-alive comments
// between. No Beast here: the APIs stay plain functions.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace muster::server {

// One event, ready to send: its id (the change it was made at) and its whole text, shared by
// every stream of the same scope (500 tablets cost one copy, not 500).
struct StreamEvent {
    std::int64_t id = 0;
    std::shared_ptr<const std::string> text;
};

// Called on the connection's strand, one call at a time per stream; a call may read the
// database (the server's threads already do that for every request).
class EventStreamSource {
public:
    virtual ~EventStreamSource() = default;
    // Sent once, right after the headers ("retry: 1000\n\n").
    virtual std::string opening() const = 0;
    // The Last-Event-ID the client sent back when reconnecting, if any: equal to the feed's
    // newest change, the client is up to date and gets nothing until the next change.
    virtual std::optional<std::int64_t> resume_from() const = 0;
    // May the stream go on? False once the session behind it has expired or been withdrawn.
    // Asked before every event and every keep-alive.
    virtual bool allowed() = 0;
    // The event for change `change` or a newer one; nullopt when there is nothing to show any
    // more (the stream ends). It may be older than `change` when the source rate-limits its
    // reads: the HTTP layer asks again at the stream's next turn (stream_min_interval_ms).
    virtual std::optional<StreamEvent> event(std::int64_t change) = 0;
};

// `id: <id>\nevent: <name>\ndata: <data>\n\n`; data must be one line (JSON as serialized).
inline std::string sse_event(std::int64_t id, std::string_view name, std::string_view data) {
    std::string out;
    out.reserve(data.size() + name.size() + 40);
    out.append("id: ").append(std::to_string(id)).append("\nevent: ").append(name).append("\ndata: ").append(data).append("\n\n");
    return out;
}

}  // namespace muster::server
