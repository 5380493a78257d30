// Applying a projection to one event at a time, with blame, warnings and announcements of each
// place about to change (see projection.hpp); the default projection merges the payload.
#include "replay/merge_patch.hpp"
#include "replay/projection_rules.hpp"

#include <cmath>
#include <limits>
#include <utility>

namespace asof::replay {

using namespace projection_detail;

namespace {

// The value at `keys` under `root` (through objects, and arrays by decimal index), or nullptr.
template <class J> J* lookup(J& root, const std::vector<std::string>& keys) {
    J* current = &root;
    for (const auto& key : keys) {
        if (current->is_object()) {
            auto found = current->find(key);
            if (found == current->end()) return nullptr;
            current = &*found;
        } else if (current->is_array()) {
            if (key.empty() || key.size() > 18 || (key.size() > 1 && key[0] == '0')) return nullptr;
            std::size_t index = 0;
            for (char c : key) {
                if (c < '0' || c > '9') return nullptr;
                index = index * 10 + static_cast<std::size_t>(c - '0');
            }
            if (index >= current->size()) return nullptr;
            current = &(*current)[index];
        } else {
            return nullptr;
        }
    }
    return current;
}

// The value `source` names in `event`, or nullptr when it is missing. Fields that are not in
// the event's JSON are built in `scratch`.
const json* read_source(const Source& source, const ProjectedEvent& event, json& scratch) {
    auto text = [&](const std::optional<std::string>& field) -> const json* {
        if (!field) return nullptr;
        scratch = *field;
        return &scratch;
    };
    switch (source.kind) {
    case SourceKind::data:
        return lookup(event.data, source.path.keys);
    case SourceKind::meta:
        return lookup(event.meta, source.path.keys);
    case SourceKind::id:
        return text(event.id);
    case SourceKind::type:
        return text(event.type);
    case SourceKind::actor:
        return text(event.actor);
    case SourceKind::ts:
        scratch = format_utc(event.ts);
        return &scratch;
    case SourceKind::seq:
        scratch = event.seq;
        return &scratch;
    }
    return nullptr;
}

// Where `path` is below `root` (an object), for writing.
struct Spot {
    json* parent = nullptr;  // the object holding the last key, when all intermediates exist
    json* target = nullptr;  // the value at the path, when it exists
    std::size_t blocked = 0; // > 0: the first `blocked` keys lead to a value that is not an object
};

Spot find_spot(json& root, const Path& path) {
    Spot spot;
    json* current = &root;
    for (std::size_t i = 0; i + 1 < path.keys.size(); ++i) {
        auto found = current->find(path.keys[i]);
        if (found == current->end()) return spot;
        if (!found->is_object()) {
            spot.blocked = i + 1;
            return spot;
        }
        current = &*found;
    }
    spot.parent = current;
    auto found = current->find(path.keys.back());
    if (found != current->end()) spot.target = &*found;
    return spot;
}

// The object that holds the last key of `path` (non-empty) below `root`, creating missing
// intermediate objects; find_spot() must have found none blocked. Existing empty objects on
// the way get a member, so they stop being blamed as leaves.
json& make_parent(json& root, const Path& path, Blame* blame) {
    json* current = &root;
    for (std::size_t i = 0; i + 1 < path.keys.size(); ++i) {
        auto found = current->find(path.keys[i]);
        if (found == current->end()) {
            json& created = (*current)[path.keys[i]];
            created = json::object();
            current = &created;
        } else {
            if (blame && found->empty()) blame->erase(path.pointers[i]);
            current = &*found;
        }
    }
    return *current;
}

std::string blocked_text(const json& root, const Path& path, std::size_t blocked) {
    const json* value =
        lookup(root, std::vector<std::string>(path.keys.begin(),
                                              path.keys.begin() + static_cast<long>(blocked)));
    return "cannot write " + path.text + ": " + path.prefix_text(blocked) + " is " +
           (value ? std::string(value->type_name()) : std::string("missing")) + ", not an object";
}

// a + b for JSON numbers: an integer while both are integers and the sum fits, else a double;
// nullopt when the sum is not finite.
std::optional<json> add_numbers(const json& a, const json& b) {
    auto as_int = [](const json& n) -> std::optional<std::int64_t> {
        if (n.is_number_unsigned()) {
            auto u = n.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return std::nullopt;
            return static_cast<std::int64_t>(u);
        }
        if (n.is_number_integer()) return n.get<std::int64_t>();
        return std::nullopt;
    };
    auto x = as_int(a), y = as_int(b);
    std::int64_t sum = 0;
    if (x && y && !__builtin_add_overflow(*x, *y, &sum)) return json(sum);
    double result = a.get<double>() + b.get<double>();
    if (!std::isfinite(result)) return std::nullopt;
    return json(result);
}

// Applies one event to one state; the context of Projection::apply.
class Applier {
public:
    Applier(ProjectedEvent& event, json& state, Blame& blame, const BeforeChange& before,
            std::vector<std::string>& warnings)
        : event_(event), state_(state), blame_(blame), before_(before), warnings_(warnings) {}

    void upcast(const Projection::Rules& rules) {
        if (!event_.type) return;
        auto found = rules.upcasters_by_type.find(*event_.type);
        if (found == rules.upcasters_by_type.end()) return;
        json scratch;
        const json* version_at = read_source(rules.schema, event_, scratch);
        if (!version_at || !version_at->is_number_integer()) return;
        if (version_at->is_number_unsigned() &&
            version_at->get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return;
        std::int64_t version = version_at->get<std::int64_t>();
        for (std::size_t index : found->second) {
            const Upcaster& upcaster = rules.upcasters[index];
            if (upcaster.schema != version) continue;
            if (!event_.data.is_object()) {
                warn(upcaster.name + " matches, but the payload is " + event_.data.type_name() +
                     ", not an object; it was not upcast");
                return;
            }
            for (const Step& step : upcaster.steps)
                run_step(step);
            if (upcaster.to) {
                version = *upcaster.to;
                json& holder = rules.schema.kind == SourceKind::meta ? event_.meta : event_.data;
                if (json* at = lookup(holder, rules.schema.path.keys)) *at = version;
            }
        }
    }

    // The payload merged into the state (the default), warning as the merge fold always has.
    void merge_payload() {
        if (!event_.data.is_object()) {
            if (!event_.data.is_null())
                warnings_.push_back("the payload of " + event_.label +
                                    " is not a JSON object; it was not merged");
            return;
        }
        if (before_)
            for (const auto& [key, value] : event_.data.items())
                before_(child_pointer("", key));
        merge_patch(state_, event_.data, blame_, event_.seq);
    }

    void run(const Rule& rule) {
        json scratch;
        const json* value = nullptr;
        if (rule.from) {
            value = read_source(*rule.from, event_, scratch);
            if (!value)
                return warn_rule(rule, rule.from->text + " is missing; " +
                                           verb_specs[static_cast<std::size_t>(rule.verb)].skipped);
        } else {
            value = &rule.value;
        }
        switch (rule.verb) {
        case Verb::set:
            return set(rule, *value);
        case Verb::unset:
            return unset(rule);
        case Verb::append:
            return append(rule, *value);
        case Verb::increment:
            return increment(rule, *value);
        case Verb::replace:
            return replace(rule, *value);
        case Verb::merge:
            return merge(rule, *value);
        case Verb::ignore:
            return;
        }
    }

private:
    void warn(const std::string& text) { warnings_.push_back(event_.label + ": " + text); }
    void warn_rule(const Rule& rule, const std::string& text) {
        warn("rule " + rule.name + " (" + verb_name(rule.verb) + "): " + text);
    }
    void notify(const std::string& pointer) {
        if (before_) before_(pointer);
    }

    // Finds the rule's target for writing; warns and returns false when an intermediate is not
    // an object.
    bool reachable(const Rule& rule, const Spot& spot) {
        if (!spot.blocked) return true;
        warn_rule(rule, blocked_text(state_, rule.target, spot.blocked) + "; " +
                            verb_specs[static_cast<std::size_t>(rule.verb)].skipped);
        return false;
    }

    void set(const Rule& rule, const json& value) {
        Spot spot = find_spot(state_, rule.target);
        if (!reachable(rule, spot)) return;
        const std::string& pointer = rule.target.pointer();
        notify(pointer);
        json& slot = make_parent(state_, rule.target, &blame_)[rule.target.keys.back()];
        slot = value;
        forget_under(blame_, pointer);
        blame_leaves(slot, pointer, blame_, event_.seq);
    }

    void unset(const Rule& rule) {
        Spot spot = find_spot(state_, rule.target);
        if (!spot.target) return;
        const std::string& pointer = rule.target.pointer();
        notify(pointer);
        spot.parent->erase(rule.target.keys.back());
        forget_under(blame_, pointer);
        if (spot.parent->empty() && rule.target.keys.size() > 1)
            blame_[rule.target.pointers[rule.target.keys.size() - 2]] = event_.seq;
    }

    void append(const Rule& rule, const json& value) {
        Spot spot = find_spot(state_, rule.target);
        if (!reachable(rule, spot)) return;
        if (spot.target && !spot.target->is_array())
            return warn_rule(rule, rule.target.text + " is " + spot.target->type_name() +
                                       ", not an array; nothing appended");
        const std::string& pointer = rule.target.pointer();
        json* array = spot.target;
        // The place that changes: the new element (not the whole array, which may be long).
        notify(array && !array->empty() ? pointer + "/" + std::to_string(array->size()) : pointer);
        if (!array) {
            json& parent = make_parent(state_, rule.target, &blame_);
            array = &(parent[rule.target.keys.back()] = json::array());
        }
        if (array->empty()) blame_.erase(pointer);
        array->push_back(value);
        blame_leaves(array->back(), pointer + "/" + std::to_string(array->size() - 1), blame_,
                     event_.seq);
    }

    void increment(const Rule& rule, const json& by) {
        if (!by.is_number())
            return warn_rule(rule, (rule.from ? rule.from->text : std::string("'by'")) + " is " +
                                       by.type_name() + ", not a number; nothing incremented");
        Spot spot = find_spot(state_, rule.target);
        if (!reachable(rule, spot)) return;
        if (spot.target && !spot.target->is_number())
            return warn_rule(rule, rule.target.text + " is " + spot.target->type_name() +
                                       ", not a number; nothing incremented");
        std::optional<json> sum = by;
        if (spot.target) sum = add_numbers(*spot.target, by);
        if (!sum) return warn_rule(rule, "the sum is not a finite number; nothing incremented");
        const std::string& pointer = rule.target.pointer();
        notify(pointer);
        json& parent = make_parent(state_, rule.target, &blame_);
        parent[rule.target.keys.back()] = std::move(*sum);
        blame_[pointer] = event_.seq;
    }

    void replace(const Rule& rule, const json& value) {
        if (!value.is_object())
            return warn_rule(rule, rule.from->text + " is " + value.type_name() +
                                       ", not an object; the state was not replaced");
        notify("");
        blame_.clear();
        state_ = value;
        for (const auto& [key, member] : state_.items())
            blame_leaves(member, child_pointer("", key), blame_, event_.seq);
    }

    void merge(const Rule& rule, const json& patch) {
        if (patch.is_null()) return;
        if (!patch.is_object())
            return warn_rule(rule, rule.from->text + " is " + patch.type_name() +
                                       ", not an object; nothing merged");
        const Path& at = rule.target;
        if (at.empty()) {
            if (before_)
                for (const auto& [key, value] : patch.items())
                    before_(child_pointer("", key));
            merge_patch(state_, patch, blame_, event_.seq);
            return;
        }
        Spot spot = find_spot(state_, at);
        if (!reachable(rule, spot)) return;
        if (before_) {
            if (spot.target && spot.target->is_object())
                for (const auto& [key, value] : patch.items())
                    before_(child_pointer(at.pointer(), key));
            else
                before_(at.pointer());
        }
        json& parent = make_parent(state_, at, &blame_);
        json& target = parent[at.keys.back()];
        detail::merge_into(target, patch, at.pointer(), blame_, event_.seq);
        if (target.empty()) blame_[at.pointer()] = event_.seq;
    }

    void warn_step(const Step& step, const std::string& text) {
        warn(step.name + " (" + step_name(step.op) + "): " + text + "; step skipped");
    }

    void run_step(const Step& step) {
        json& data = event_.data;
        Spot spot = find_spot(data, step.path);
        switch (step.op) {
        case StepOp::rename: {
            if (!spot.target || step.key == step.path.keys.back()) return;
            json value = std::move(*spot.target);
            spot.parent->erase(step.path.keys.back());
            (*spot.parent)[step.key] = std::move(value);
            return;
        }
        case StepOp::move: {
            if (!spot.target) return;
            json value = std::move(*spot.target);
            spot.parent->erase(step.path.keys.back());
            Spot to = find_spot(data, step.to);
            if (to.blocked) {
                (*spot.parent)[step.path.keys.back()] = std::move(value);
                return warn_step(step, blocked_text(data, step.to, to.blocked));
            }
            make_parent(data, step.to, nullptr)[step.to.keys.back()] = std::move(value);
            return;
        }
        case StepOp::set_default:
            if (spot.blocked) return warn_step(step, blocked_text(data, step.path, spot.blocked));
            if (spot.target) return;
            make_parent(data, step.path, nullptr)[step.path.keys.back()] = step.value;
            return;
        case StepOp::drop:
            if (spot.target) spot.parent->erase(step.path.keys.back());
            return;
        }
    }

    ProjectedEvent& event_;
    json& state_;
    Blame& blame_;
    const BeforeChange& before_;
    std::vector<std::string>& warnings_;
};

} // namespace

Projection::Projection(std::string name, std::string canonical, std::string hash, bool is_default,
                       std::unique_ptr<Rules> rules)
    : name_(std::move(name)), canonical_(std::move(canonical)), hash_(std::move(hash)),
      is_default_(is_default), rules_(std::move(rules)) {
}

Projection::~Projection() = default;

std::shared_ptr<const Projection> Projection::merge_default() {
    static const auto instance = std::make_shared<const Projection>(
        "merge", "{}", "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", true,
        std::make_unique<Rules>());
    return instance;
}

void Projection::apply(ProjectedEvent& event, nlohmann::json& state, Blame& blame,
                       const BeforeChange& before, std::vector<std::string>& warnings) const {
    try {
        if (!state.is_object()) {
            if (before) before("");
            state = nlohmann::json::object();
            blame.clear();
        }
        Applier applier(event, state, blame, before, warnings);
        if (!rules_->upcasters.empty()) applier.upcast(*rules_);
        const TypeEntry* entry = nullptr;
        if (event.type) {
            auto found = rules_->types.find(*event.type);
            if (found != rules_->types.end()) entry = &found->second;
        }
        Handling handling = entry                     ? entry->handling
                            : rules_->ignore_unlisted ? Handling::ignore
                                                      : Handling::merge_payload;
        if (handling == Handling::merge_payload)
            applier.merge_payload();
        else if (handling == Handling::rules)
            for (const Rule& rule : entry->rules)
                applier.run(rule);
    } catch (const nlohmann::json::exception& e) {
        warnings.push_back(event.label + ": the projection could not be applied (" + e.what() +
                           ")");
    }
}

} // namespace asof::replay
