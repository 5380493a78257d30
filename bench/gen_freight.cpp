// asof-gen: deterministic generator of realistic freight-audit event logs in JSON Lines (or, with
// --xes, the same events as an XES log: one trace per stream; with --ocel-json, --ocel-xml or
// --ocel-sqlite, as an OCEL 2.0 log: see gen_ocel.hpp).
#include "gen_ocel.hpp"
#include "gen_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;
using u32 = std::uint32_t;
using u8 = std::uint8_t;
using asof_gen::put_xml_escaped;
using asof_gen::Sink;
using std::string_view;

constexpr i64 kSecond = 1'000'000;
constexpr i64 kMinute = 60 * kSecond;
constexpr i64 kHour = 60 * kMinute;
constexpr i64 kDay = 24 * kHour;

// ---------------------------------------------------------------------------------------------
// Randomness: our own generators, so the same arguments give the same bytes everywhere.

u64 splitmix64(u64& state) {
    u64 z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// xoshiro256** seeded through splitmix64.
class Rng {
public:
    explicit Rng(u64 seed) {
        for (auto& word : s_)
            word = splitmix64(seed);
    }

    u64 next() {
        const u64 result = rotl(s_[1] * 5, 7) * 9;
        const u64 t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n) for n > 0; the modulo bias is below 2^-40 for every n used here.
    u64 below(u64 n) { return next() % n; }
    std::size_t index(std::size_t n) { return static_cast<std::size_t>(below(n)); }
    i64 range(i64 lo, i64 hi) {
        return lo + static_cast<i64>(below(static_cast<u64>(hi - lo + 1)));
    }
    bool chance(u64 per_mille) { return below(1000) < per_mille; }

    // In [lo, hi], skewed towards lo (the scaled product of two uniforms).
    i64 skewed(i64 lo, i64 hi) {
        const u64 span = static_cast<u64>(hi - lo + 1);
        return lo + static_cast<i64>(below(span) * below(span) / span);
    }

    template <class T, std::size_t N> const T& pick(const std::array<T, N>& items) {
        return items[index(N)];
    }

    // An index drawn in proportion to `weights`.
    template <std::size_t N> std::size_t weighted(const std::array<u32, N>& weights) {
        u64 total = 0;
        for (u32 w : weights)
            total += w;
        u64 r = below(total);
        for (std::size_t i = 0; i < N; ++i) {
            if (r < weights[i]) return i;
            r -= weights[i];
        }
        return N - 1;
    }

private:
    static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<u64, 4> s_{};
};

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on microseconds since the epoch (UTC), after H. Hinnant's algorithms.

i64 floor_div(i64 a, i64 b) {
    const i64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

i64 days_from_civil(i64 y, unsigned m, unsigned d) {
    y -= m <= 2;
    const i64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<i64>(doe) - 719468;
}

struct Civil {
    i64 y;
    unsigned m;
    unsigned d;
};

Civil civil_from_days(i64 z) {
    z += 719468;
    const i64 era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const i64 y = static_cast<i64>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

// 0 = Monday .. 6 = Sunday.
unsigned weekday(i64 days) {
    return static_cast<unsigned>(((days % 7) + 7 + 3) % 7);
}

i64 last_sunday(i64 y, unsigned m) {
    const i64 last = (m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1)) - 1;
    return last - static_cast<i64>((weekday(last) + 1) % 7);
}

// Europe/Berlin offset at a UTC instant: CEST (+2) from the last Sunday of March 01:00 UTC to
// the last Sunday of October 01:00 UTC, CET (+1) otherwise (the EU rule since 1996).
i64 berlin_offset(i64 utc) {
    const i64 y = civil_from_days(floor_div(utc, kDay)).y;
    const i64 begin = last_sunday(y, 3) * kDay + kHour;
    const i64 end = last_sunday(y, 10) * kDay + kHour;
    return (utc >= begin && utc < end) ? 2 * kHour : kHour;
}

// The UTC instant of a Berlin wall time; an ambiguous wall time takes the earlier instant.
i64 berlin_to_utc(i64 local) {
    const i64 summer = local - 2 * kHour;
    return berlin_offset(summer) == 2 * kHour ? summer : local - kHour;
}

// Parses "YYYY-MM-DD[THH:MM[:SS]][Z]" as a wall time in microseconds (no zone arithmetic).
std::optional<i64> parse_time(string_view text) {
    auto number = [&](std::size_t pos, std::size_t len) -> std::optional<unsigned> {
        if (pos + len > text.size()) return std::nullopt;
        unsigned v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            v = v * 10 + static_cast<unsigned>(text[i] - '0');
        }
        return v;
    };
    auto y = number(0, 4), mo = number(5, 2), d = number(8, 2);
    if (!y || !mo || !d || text[4] != '-' || text[7] != '-' || *mo < 1 || *mo > 12 || *d < 1 ||
        *d > 31)
        return std::nullopt;
    i64 t = days_from_civil(*y, *mo, *d) * kDay;
    std::size_t pos = 10;
    if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
        auto h = number(pos + 1, 2), mi = number(pos + 4, 2);
        if (!h || !mi || text[pos + 3] != ':' || *h > 23 || *mi > 59) return std::nullopt;
        t += *h * kHour + *mi * kMinute;
        pos += 6;
        if (pos < text.size() && text[pos] == ':') {
            auto s = number(pos + 1, 2);
            if (!s || *s > 59) return std::nullopt;
            t += *s * kSecond;
            pos += 3;
        }
    }
    if (pos < text.size() && text[pos] == 'Z') ++pos;
    if (pos != text.size()) return std::nullopt;
    return t;
}

// ---------------------------------------------------------------------------------------------
// Formatting into a line buffer.

void put_u(std::string& out, u64 v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void put_padded(std::string& out, u64 v, std::size_t width) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    const auto len = static_cast<std::size_t>(r.ptr - buf);
    if (len < width) out.append(width - len, '0');
    out.append(buf, r.ptr);
}

void put_hex(std::string& out, u64 v) {
    static constexpr char digits[] = "0123456789abcdef";
    char buf[16];
    for (int i = 15; i >= 0; --i) {
        buf[i] = digits[v & 15];
        v >>= 4;
    }
    out.append(buf, 16);
}

// A money value in cents as the shortest decimal: 1234.5, 1234.05, 1234.
void put_cents(std::string& out, i64 cents) {
    if (cents < 0) {
        out += '-';
        cents = -cents;
    }
    put_u(out, static_cast<u64>(cents / 100));
    const auto c = static_cast<unsigned>(cents % 100);
    if (c == 0) return;
    out += '.';
    out += static_cast<char>('0' + c / 10);
    if (c % 10) out += static_cast<char>('0' + c % 10);
}

// Cents for humans: "1,234.50".
void put_cents_text(std::string& out, i64 cents) {
    const u64 whole = static_cast<u64>(cents / 100);
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, whole);
    const auto len = static_cast<std::size_t>(r.ptr - buf);
    for (std::size_t i = 0; i < len; ++i) {
        if (i > 0 && (len - i) % 3 == 0) out += ',';
        out += buf[i];
    }
    out += '.';
    put_padded(out, static_cast<u64>(cents % 100), 2);
}

void put_date(std::string& out, i64 days) {
    const Civil c = civil_from_days(days);
    put_padded(out, static_cast<u64>(c.y), 4);
    out += '-';
    put_padded(out, c.m, 2);
    out += '-';
    put_padded(out, c.d, 2);
}

// "2026-04-14T09:12:33.123456Z"; the date part is cached per day.
class TsFormatter {
public:
    void put(std::string& out, i64 us) {
        const i64 days = floor_div(us, kDay);
        if (days != cached_day_) {
            cached_day_ = days;
            date_.clear();
            put_date(date_, days);
            date_ += 'T';
        }
        auto rem = static_cast<u64>(us - days * kDay);
        char buf[16];
        const u64 micros = rem % 1'000'000;
        rem /= 1'000'000;
        const u64 hh = rem / 3600, mm = rem / 60 % 60, ss = rem % 60;
        buf[0] = static_cast<char>('0' + hh / 10);
        buf[1] = static_cast<char>('0' + hh % 10);
        buf[2] = ':';
        buf[3] = static_cast<char>('0' + mm / 10);
        buf[4] = static_cast<char>('0' + mm % 10);
        buf[5] = ':';
        buf[6] = static_cast<char>('0' + ss / 10);
        buf[7] = static_cast<char>('0' + ss % 10);
        buf[8] = '.';
        u64 f = micros;
        for (int i = 14; i >= 9; --i) {
            buf[i] = static_cast<char>('0' + f % 10);
            f /= 10;
        }
        buf[15] = 'Z';
        out += date_;
        out.append(buf, 16);
    }

private:
    i64 cached_day_ = INT64_MIN;
    std::string date_;
};

// ---------------------------------------------------------------------------------------------
// Vocabulary. Strings are stored JSON-escaped, ready to be copied into the output.

struct Actor {
    string_view name;
    string_view source;
};

constexpr std::array<string_view, 12> kPeople = {"alice", "bob",   "carol",   "dave",
                                                 "erin",  "frank", "grace",   "heidi",
                                                 "ivan",  "judy",  "mallory", "oscar"};
constexpr std::array<u32, 12> kPeopleWeights = {16, 12, 11, 10, 9, 8, 8, 7, 6, 5, 4, 4};

constexpr std::array<string_view, 10> kDisplayNames = {
    "Alice", "Bob", "Zoë", "François", "Jürgen", "Małgorzata", "Søren", "Ana", "Chidi", "Priya"};

struct Carrier {
    string_view name;
    string_view scac;
};

constexpr std::array<Carrier, 10> kCarriers = {{{"DHL Freight", "DHLF"},
                                                {"DB Schenker", "SCHK"},
                                                {"Kühne + Nagel", "KNIG"},
                                                {"DSV Road", "DSVR"},
                                                {"GEODIS", "GEOD"},
                                                {"Dachser", "DACH"},
                                                {"Raben Group", "RABN"},
                                                {"XPO Logistics", "XPOL"},
                                                {"Girteka", "GIRT"},
                                                {"Hellmann Worldwide", "HELM"}}};

constexpr std::array<string_view, 20> kLocations = {
    "Hamburg, DE",  "Bremen, DE",   "Duisburg, DE", "Köln, DE",      "Frankfurt am Main, DE",
    "Nürnberg, DE", "München, DE",  "Leipzig, DE",  "Rotterdam, NL", "Antwerpen, BE",
    "Lyon, FR",     "Milano, IT",   "Wien, AT",     "Praha, CZ",     "Poznań, PL",
    "Łódź, PL",     "Göteborg, SE", "Zürich, CH",   "Barcelona, ES", "Bratislava, SK"};

constexpr std::array<string_view, 5> kCurrencies = {"EUR", "USD", "GBP", "PLN", "CHF"};
constexpr std::array<u32, 5> kCurrencyWeights = {70, 13, 9, 5, 3};

constexpr std::array<string_view, 8> kReasons = {"invoiced weight exceeds booked weight",
                                                 "duplicate fuel surcharge",
                                                 "detention charged without proof",
                                                 "rate does not match contract",
                                                 "accessorial not agreed",
                                                 "late delivery penalty not applied",
                                                 "currency conversion mismatch",
                                                 "pallet count differs from POD"};

constexpr std::array<string_view, 7> kAdjustReasons = {"re-rated with contract tariff",
                                                       "detention added",
                                                       "detention removed",
                                                       "fuel surcharge corrected",
                                                       "partial credit agreed",
                                                       "currency conversion fixed",
                                                       "toll conceded"};

constexpr std::array<string_view, 5> kResolutions = {"carrier_credit", "rebilled", "written_off",
                                                     "customer_accepted", "no_fault_found"};

constexpr std::array<string_view, 6> kCarrierStatuses = {
    "claim_received", "certificate_requested", "certificate_sent",
    "claim_rejected", "claim_accepted",        "no_response"};

constexpr std::array<string_view, 5> kCheckpoints = {"hub-scan", "border-crossing", "depot-arrival",
                                                     "gps-ping", "driver-break"};

constexpr std::array<string_view, 10> kSigners = {
    "M. Öztürk", "J. Nowak", "A. Dubois",    "L. Rossi",   "K. Müller",
    "S. García", "P. Novák", "E. Lindqvist", "R. O'Brien", "B. Jørgensen"};

constexpr std::array<string_view, 9> kCustomers = {"Brennwald Maschinenbau GmbH",
                                                   "Nordlicht Foods AB",
                                                   "Société Générale de Pièces SA",
                                                   "Castelli & Figli S.p.A.",
                                                   "Wisła Meble Sp. z o.o.",
                                                   "Van Dijk Bloemen B.V.",
                                                   "Alpenglanz AG",
                                                   "Iberia Componentes S.L.",
                                                   R"(\"Blue Harbor\" Trading Ltd)"};

constexpr std::array<string_view, 8> kLineItems = {"Fuel surcharge",     "Toll",
                                                   "Detention 2 h",      "Pallet exchange",
                                                   "Tail-lift delivery", "Weight surcharge",
                                                   "Customs clearance",  "Waiting time"};

constexpr std::array<string_view, 6> kDisputeReasons = {
    "not ordered",          "rate above contract",          "already billed on a previous invoice",
    "no proof of delivery", "toll included in all-in rate", "weight surcharge not justified"};

constexpr std::array<string_view, 4> kServices = {"FTL", "LTL", "groupage", "express"};

// Note sentences. Placeholders: {P} a person, {C} a carrier, {L} a location, {A} an amount,
// {$} the stream's currency, {N}/{M} small numbers, {R} a PRO number, {W} a weight in kg.
constexpr std::array<string_view, 30> kNoteSentences = {
    "Called {C} dispatch, they will check the POD and come back to us.",
    "Carrier says the reweigh at {L} showed {W} kg.",
    "Customer disputes the fuel surcharge on line {N}.",
    "Asked {P} to double-check the rate card for this lane.",
    "Zoë from the carrier desk confirmed the pallet count: {N}, not {M}.",
    "Invoice total is off by {A} {$}; looks like the detention fee was applied twice.",
    R"(Per contract §4.2 the \"all-in\" rate includes tolls — rejecting the toll line.)",
    "Escalated to {P}.",
    "No response from {C} yet, will follow up tomorrow.",
    R"(POD attached. Signature reads \"M. Öztürk\", delivery at 14:10, not 16:40 as billed.)",
    "Waiting for the credit note.",
    "Spoke with François at the {L} hub; the trailer sat in the yard over the weekend.",
    "Rate on the invoice is {A} {$} for the lane, the contract says less. Requested the tariff "
    "sheet.",
    "Duplicate of an earlier claim? Checked: no, different PRO number ({R}).",
    "ok",
    "👍 agreed.",
    "Customs hold at {L} explains the delay; detention should be on the customer, not on us.",
    R"(Summary of the call with {C}:\n- they accept 50 % of the detention\n- the rest will be credited on the next invoice\n- {P} confirms by Friday)",
    R"(Export from the carrier portal:\tPRO {R}\tweight {W} kg\tstatus \"delivered\")",
    R"(Scanned documents are in \\\\fs01\\claims\\2026\\{R}.pdf)",
    "Ça va: the carrier's Lyon office agrees the pallet exchange fee (Palettentausch) was not "
    "ordered.",
    "Checked the telematics: the truck left {L} at 06:12, so the 3 h waiting time is plausible.",
    "Please don't close yet — finance needs the corrected invoice first.",
    "Reminder for myself: compare with last quarter's claims against {C}.",
    "Rejected: the accessorial was agreed by email on the day of loading (see thread from {P}).",
    "Amount corrected after re-rating with the 2026 tariff (€ per 100 kg).",
    "Ładunek dotarł uszkodzony — damage report from the Poznań depot attached.",
    "Long story short: wrong weight class. Carrier invoiced class 4 (2,000–3,000 kg) instead of "
    "class 3.",
    "Noted.",
    "FYI {P}: same pattern as last month, probably a systematic issue with {C}'s billing."};

constexpr std::array<string_view, 3> kSystemNotes = {
    "Reminder: no activity for {N} days.",
    "Automatic check: invoice amount differs from the quoted rate by {A} {$}.",
    "SLA warning: escalation due in {N} business days."};

// ---------------------------------------------------------------------------------------------
// Streams.

enum class Kind : u8 { discrepancy, shipment, invoice };
enum Status : u8 { open, investigating, awaiting_carrier, resolved, closed };
constexpr std::array<string_view, 5> kStatusNames = {"open", "investigating", "awaiting_carrier",
                                                     "resolved", "closed"};

struct Stream {
    Kind kind = Kind::discrepancy;
    u32 number = 0;
    u32 version = 0;    // the last version written
    i64 remaining = -1; // events still to come for a long-tail stream; -1 for a hot stream
    u64 count = 0;
    i64 last_ts = 0;
    u64 corr = 0;
    i64 amount = 0; // cents: discrepancy amount, invoice total, shipment declared value
    i64 paid = 0;
    u32 weight = 0; // shipment weight in 0.1 kg
    u32 ref_a = 0;  // discrepancy: shipment number; invoice: shipment number
    u32 ref_b = 0;  // discrepancy: invoice number
    u8 currency = 0, carrier = 0, assignee = 0xff, status = open, phase = 0;
    u8 origin = 0, destination = 0, pieces = 0, lines = 0, customer = 0;
};

constexpr string_view kind_name(Kind k) {
    switch (k) {
    case Kind::discrepancy:
        return "discrepancy-";
    case Kind::shipment:
        return "shipment-";
    case Kind::invoice:
        return "invoice-";
    }
    return "";
}

void put_stream_name(std::string& out, const Stream& s) {
    out += kind_name(s.kind);
    put_u(out, s.number);
}

// ---------------------------------------------------------------------------------------------
// Timeline: event instants spread over [start, start + hours) in proportion to Berlin office
// hours (busy weekdays, quiet nights and weekends), handed out strictly increasing.

class Timeline {
public:
    Timeline(i64 start, i64 hours, u64 total, u64 seed) : start_(start), total_(total), rng_(seed) {
        cumulative_.push_back(0);
        for (i64 h = 0; h < hours; ++h) {
            const i64 local = start + h * kHour + berlin_offset(start + h * kHour);
            const i64 day = floor_div(local, kDay);
            const auto hour = static_cast<std::size_t>((local - day * kDay) / kHour);
            cumulative_.push_back(cumulative_.back() + hour_weight(weekday(day), hour));
        }
    }

    // The next instant, or false when all `total` have been handed out.
    bool next(i64& ts) {
        while (pos_ == slots_.size()) {
            if (hour_ + 1 >= cumulative_.size()) return false;
            fill(hour_++);
        }
        ts = std::max(slots_[pos_++], last_ + 1);
        last_ = ts;
        return true;
    }

private:
    static u64 hour_weight(unsigned wd, std::size_t hour) {
        static constexpr std::array<u64, 24> weekday_weights = {
            1, 1, 1, 1, 1, 1, 3, 6, 12, 12, 12, 12, 9, 12, 12, 12, 12, 9, 6, 4, 3, 3, 2, 2};
        static constexpr std::array<u64, 24> weekend_weights = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2,
                                                                2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1};
        return wd < 5 ? weekday_weights[hour] : weekend_weights[hour];
    }

    void fill(std::size_t h) {
        const u64 all = cumulative_.back();
        const u64 count = total_ * cumulative_[h + 1] / all - total_ * cumulative_[h] / all;
        const i64 base = start_ + static_cast<i64>(h) * kHour;
        slots_.clear();
        pos_ = 0;
        for (u64 i = 0; i < count; ++i)
            slots_.push_back(base + static_cast<i64>(rng_.below(static_cast<u64>(kHour))));
        std::sort(slots_.begin(), slots_.end());
    }

    i64 start_;
    u64 total_;
    Rng rng_;
    std::vector<u64> cumulative_;
    std::vector<i64> slots_;
    std::size_t pos_ = 0;
    std::size_t hour_ = 0;
    i64 last_ = INT64_MIN;
};

// ---------------------------------------------------------------------------------------------
// The scripted story of the bundled sample (see assets/README.md). Times are Berlin wall time;
// events that share a non-zero `corr` share a correlation id. Data is literal JSON.

struct StoryRow {
    const char* stream;
    const char* local;
    const char* actor;
    const char* source;
    const char* type;
    int schema;
    int corr;
    const char* data;
};

// clang-format off
constexpr StoryRow kStory[] = {
    // shipment-88: booked at 2,140 kg, delivered early March, reweigh confusion on Thu 16 April.
    {"shipment-88", "2026-02-26T16:20:11", "dave", "audit-ui", "ShipmentCreated", 1, 0,
     R"j({"origin":"Hamburg, DE","destination":"Milano, IT","carrier":"Kühne + Nagel","scac":"KNIG","service":"FTL","pieces":28,"weight_kg":2140,"declared_value":48500,"currency":"EUR"})j"},
    {"shipment-88", "2026-02-27T07:45:02", "carrier-gateway", "carrier-edi", "ShipmentPickedUp", 1, 0,
     R"j({"location":"Hamburg, DE","pieces":28,"trailer":"KN-4821"})j"},
    {"shipment-88", "2026-02-27T22:13:40", "carrier-gateway", "carrier-edi", "ShipmentInTransit", 1, 0,
     R"j({"location":"Nürnberg, DE","checkpoint":"hub-scan","eta":"2026-03-02T10:00:00Z"})j"},
    {"shipment-88", "2026-02-28T09:02:55", "carrier-gateway", "carrier-edi", "ShipmentInTransit", 1, 0,
     R"j({"location":"München, DE","checkpoint":"depot-arrival","eta":"2026-03-02T10:00:00Z"})j"},
    {"shipment-88", "2026-03-01T06:30:18", "carrier-gateway", "carrier-edi", "ShipmentInTransit", 1, 0,
     R"j({"location":"Brenner, AT","checkpoint":"border-crossing","eta":"2026-03-02T11:00:00Z"})j"},
    {"shipment-88", "2026-03-02T11:47:09", "carrier-gateway", "carrier-edi", "ShipmentDelivered", 1, 0,
     R"j({"location":"Milano, IT","signed_by":"G. Rossi","pieces":28})j"},
    {"shipment-88", "2026-04-16T11:05:37", "carrier-gateway", "carrier-edi", "ShipmentWeightCorrected", 2, 0,
     R"j({"weight_kg":2410,"previous_kg":2140,"reason":"carrier reweigh certificate"})j"},
    {"shipment-88", "2026-04-16T15:48:26", "erin", "audit-ui", "ShipmentWeightCorrected", 2, 0,
     R"j({"weight_kg":2140,"previous_kg":2410,"reason":"reweigh certificate belongs to PRO 558201, reverted"})j"},

    // invoice-12: issued on 3 March with a weight surcharge for 2,410 kg; disputed; partly paid in
    // the week of 6 April; credit note on Friday 17 April.
    {"invoice-12", "2026-03-03T00:10:00", "billing-batch", "billing", "InvoiceIssued", 1, 0,
     R"j({"number":"INV-2026-000012","customer":"Brennwald Maschinenbau GmbH","due":"2026-04-02","lines":[{"line":1,"description":"Linehaul Hamburg – Milano (FTL)","shipment":"shipment-88","amount":2890},{"line":2,"description":"Fuel surcharge 14.5 %","shipment":"shipment-88","amount":419.05},{"line":3,"description":"Weight surcharge (2,410 kg)","shipment":"shipment-88","amount":1840},{"line":4,"description":"Toll Brenner","shipment":"shipment-88","amount":212.4}],"total":5361.45,"currency":"EUR"})j"},
    {"invoice-12", "2026-03-10T10:41:58", "carol", "audit-ui", "InvoiceLineDisputed", 1, 1,
     R"j({"line":3,"reason":"weight surcharge not justified","amount":1840,"currency":"EUR","discrepancy":"discrepancy-4721"})j"},
    {"invoice-12", "2026-04-08T09:15:20", "bob", "audit-ui", "InvoiceLineDisputed", 2, 2,
     R"j({"line":4,"reason":"toll included in all-in rate","amount":{"value":212.4,"currency":"EUR"},"discrepancy":"discrepancy-4721"})j"},
    {"invoice-12", "2026-04-09T02:00:03", "billing-batch", "billing", "InvoicePaid", 2, 0,
     R"j({"amount":{"value":3309.05,"currency":"EUR"},"method":"SEPA","reference":"SEPA-20260409-000012","partial":true})j"},
    {"invoice-12", "2026-04-17T07:30:44", "billing-batch", "billing", "CreditNoteIssued", 2, 5,
     R"j({"credit_note":"CN-2026-000031","amount":{"value":2052.4,"currency":"EUR"},"reason":"discrepancy-4721 resolved in the customer's favour"})j"},

    // discrepancy-4721: before Tuesday 14 April.
    {"discrepancy-4721", "2026-03-10T10:42:07", "carol", "audit-ui", "DiscrepancyOpened", 1, 1,
     R"j({"shipment":"shipment-88","invoice":"invoice-12","amount":1840,"currency":"EUR","reason":"invoiced weight exceeds booked weight","status":"open"})j"},
    {"discrepancy-4721", "2026-03-10T10:44:30", "carol", "audit-ui", "NoteAdded", 1, 0,
     R"j({"text":"Booked 2,140 kg, invoiced 2,410 kg. The weight surcharge of €1,840.00 looks wrong."})j"},
    {"discrepancy-4721", "2026-03-11T14:20:05", "system", "scheduler", "AssigneeChanged", 1, 0,
     R"j({"assignee":"bob","previous":"carol"})j"},
    {"discrepancy-4721", "2026-03-16T09:05:41", "bob", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Asked Kühne + Nagel for the reweigh certificate."})j"},
    {"discrepancy-4721", "2026-03-29T01:58:12", "system", "scheduler", "NoteAdded", 2, 0,
     R"j({"text":"Reminder: no activity for 13 days."})j"},
    {"discrepancy-4721", "2026-03-29T03:04:09", "carrier-gateway", "carrier-edi", "CarrierUpdated", 2, 0,
     R"j({"carrier":"Kühne + Nagel","scac":"KNIG","claim_ref":"KN-CLM-558210","status":"claim_received","eta":"2026-04-10T16:00:00Z"})j"},
    {"discrepancy-4721", "2026-03-29T15:12:44", "erin", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Weekend check: the carrier acknowledged the claim overnight (KN-CLM-558210)."})j"},
    {"discrepancy-4721", "2026-04-01T10:30:00", "bob", "audit-ui", "StatusChanged", 2, 0,
     R"j({"status":"investigating","previous":"open"})j"},
    {"discrepancy-4721", "2026-04-08T09:16:02", "bob", "audit-ui", "NoteAdded", 2, 2,
     R"j({"text":"Toll line also disputed: the contract rate is \"all-in\" (§4.2)."})j"},
    {"discrepancy-4721", "2026-04-08T09:17:30", "bob", "audit-ui", "AmountAdjusted", 2, 2,
     R"j({"amount":{"value":2052.4,"currency":"EUR"},"previous":{"value":1840,"currency":"EUR"},"reason":"toll line added"})j"},
    {"discrepancy-4721", "2026-04-13T11:20:45", "alice", "audit-ui", "AssigneeChanged", 2, 3,
     R"j({"assignee":"alice","previous":"bob"})j"},
    {"discrepancy-4721", "2026-04-13T11:21:30", "alice", "audit-ui", "NoteAdded", 2, 3,
     R"j({"text":"Taking over while Bob is on leave until Wednesday."})j"},
    {"discrepancy-4721", "2026-04-13T15:02:18", "alice", "audit-ui", "AmountAdjusted", 2, 0,
     R"j({"amount":{"value":2264.9,"currency":"EUR"},"previous":{"value":2052.4,"currency":"EUR"},"reason":"detention added"})j"},

    // Tuesday 14 April.
    {"discrepancy-4721", "2026-04-14T08:47:13", "alice", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Morning. Going through the carrier's reply from Friday."})j"},
    {"discrepancy-4721", "2026-04-14T11:12:33", "alice", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Carrier says the reweigh at Milano showed 2,410 kg. Asking for the certificate."})j"},
    {"discrepancy-4721", "2026-04-14T11:30:02", "alice", "audit-ui", "StatusChanged", 2, 0,
     R"j({"status":"awaiting_carrier","previous":"investigating"})j"},
    {"discrepancy-4721", "2026-04-14T12:05:55", "dave", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"The detention was legit: the truck waited 3 h at the dock (gate log attached)."})j"},
    {"discrepancy-4721", "2026-04-14T12:20:18", "alice", "audit-ui", "AmountAdjusted", 2, 0,
     R"j({"amount":{"value":2052.4,"currency":"EUR"},"previous":{"value":2264.9,"currency":"EUR"},"reason":"detention removed"})j"},
    {"discrepancy-4721", "2026-04-14T13:02:47", "carrier-gateway", "carrier-edi", "CarrierUpdated", 2, 0,
     R"j({"carrier":"Kühne + Nagel","scac":"KNIG","claim_ref":"KN-CLM-558210","status":"certificate_requested","eta":"2026-04-15T15:00:00Z"})j"},
    {"discrepancy-4721", "2026-04-14T13:45:09", "frank", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"FYI: same pattern on shipment-91, might be a systematic reweigh issue at the Milano hub."})j"},
    {"discrepancy-4721", "2026-04-14T14:10:12", "carol", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Are the € amounts in the carrier portal net of VAT and ours gross? Checked: both net."})j"},
    {"discrepancy-4721", "2026-04-14T15:30:26", "grace", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Zoë from KN's claims desk says the certificate will come tomorrow."})j"},
    {"discrepancy-4721", "2026-04-14T16:48:31", "alice", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Summary so far:\n- weight surcharge 1,840.00 EUR disputed (booked 2,140 kg)\n- toll 212.40 EUR disputed (all-in rate)\n- detention accepted\nWaiting for the reweigh certificate."})j"},
    {"discrepancy-4721", "2026-04-14T17:55:04", "system", "scheduler", "NoteAdded", 2, 0,
     R"j({"text":"SLA warning: escalation due in 5 business days."})j"},

    // Wednesday 15 April.
    {"discrepancy-4721", "2026-04-15T07:58:40", "carrier-gateway", "carrier-edi", "CarrierUpdated", 2, 0,
     R"j({"carrier":"Kühne + Nagel","scac":"KNIG","claim_ref":"KN-CLM-558210","status":"certificate_requested","eta":"2026-04-16T10:00:00Z"})j"},
    {"discrepancy-4721", "2026-04-15T08:30:11", "alice", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Certificate not here yet; the carrier moved the ETA to tomorrow."})j"},
    {"discrepancy-4721", "2026-04-15T09:02:27", "alice", "audit-ui", "AssigneeChanged", 2, 0,
     R"j({"assignee":"grace","previous":"alice"})j"},
    {"discrepancy-4721", "2026-04-15T09:40:53", "grace", "audit-ui", "StatusChanged", 2, 0,
     R"j({"status":"investigating","previous":"awaiting_carrier"})j"},
    {"discrepancy-4721", "2026-04-15T10:15:38", "grace", "audit-ui", "AmountAdjusted", 2, 4,
     R"j({"amount":{"value":2187.4,"currency":"EUR"},"previous":{"value":2052.4,"currency":"EUR"},"reason":"admin fee per contract §7.3"})j"},
    {"discrepancy-4721", "2026-04-15T10:16:05", "grace", "audit-ui", "NoteAdded", 2, 4,
     R"j({"text":"Added the €135.00 admin fee per contract §7.3 (late invoice correction)."})j"},
    {"discrepancy-4721", "2026-04-15T11:33:19", "heidi", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Finance here: please don't close this before the credit note is booked."})j"},
    {"discrepancy-4721", "2026-04-15T13:05:44", "bob", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Back from leave, reading up. Thanks Alice & Grace!"})j"},
    {"discrepancy-4721", "2026-04-15T14:26:09", "grace", "audit-ui", "StatusChanged", 2, 0,
     R"j({"status":"awaiting_carrier","previous":"investigating"})j"},
    {"discrepancy-4721", "2026-04-15T15:50:00", "ivan", "api", "NoteAdded", 2, 0,
     R"j({"text":"Carrier portal shows \"reweigh pending\" for PRO 558210."})j"},
    {"discrepancy-4721", "2026-04-15T17:12:36", "grace", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Called Zoë again. She promised the certificate for tomorrow 10:00."})j"},
    {"discrepancy-4721", "2026-04-15T19:45:02", "alice", "api", "NoteAdded", 2, 0,
     R"j({"text":"Checked from home: still nothing from the carrier."})j"},

    // Thursday 16 April.
    {"discrepancy-4721", "2026-04-16T08:05:17", "carrier-gateway", "carrier-edi", "CarrierUpdated", 2, 0,
     R"j({"carrier":"Kühne + Nagel","scac":"KNIG","claim_ref":"KN-CLM-558210","status":"certificate_sent","eta":"2026-04-16T12:00:00Z"})j"},
    {"discrepancy-4721", "2026-04-16T08:40:29", "grace", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Certificate received. It is for PRO 558201, not 558210 — wrong shipment!"})j"},
    {"discrepancy-4721", "2026-04-16T09:10:51", "grace", "audit-ui", "AssigneeChanged", 2, 0,
     R"j({"assignee":"alice","previous":"grace"})j"},
    {"discrepancy-4721", "2026-04-16T09:55:02", "alice", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Confirmed with Zoë: their reweigh certificate belongs to another shipment."})j"},
    {"discrepancy-4721", "2026-04-16T10:20:43", "alice", "audit-ui", "AmountAdjusted", 2, 0,
     R"j({"amount":{"value":2052.4,"currency":"EUR"},"previous":{"value":2187.4,"currency":"EUR"},"reason":"admin fee waived as goodwill"})j"},
    {"discrepancy-4721", "2026-04-16T11:30:16", "dave", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"The carrier also pushed the wrong weight into shipment-88 this morning; Erin will revert it."})j"},
    {"discrepancy-4721", "2026-04-16T14:32:10", "carrier-gateway", "carrier-edi", "CarrierUpdated", 2, 0,
     R"j({"carrier":"Kühne + Nagel","scac":"KNIG","claim_ref":"KN-CLM-558210","status":"claim_accepted","eta":null})j"},
    {"discrepancy-4721", "2026-04-16T16:05:22", "alice", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Carrier accepted the claim: 2,052.40 EUR to be credited."})j"},
    {"discrepancy-4721", "2026-04-16T16:30:00", "alice", "audit-ui", "StatusChanged", 2, 6,
     R"j({"status":"resolved","previous":"awaiting_carrier"})j"},
    {"discrepancy-4721", "2026-04-16T16:30:01", "alice", "audit-ui", "DiscrepancyResolved", 2, 6,
     R"j({"resolution":"carrier_credit","amount":{"value":2052.4,"currency":"EUR"},"status":"resolved"})j"},
    {"discrepancy-4721", "2026-04-16T18:22:48", "heidi", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"The credit note goes out with tomorrow morning's billing run."})j"},

    // Friday 17 April, before 10:00.
    {"discrepancy-4721", "2026-04-17T06:15:09", "system", "scheduler", "NoteAdded", 2, 0,
     R"j({"text":"Nightly check: resolution recorded, waiting for the credit note."})j"},
    {"discrepancy-4721", "2026-04-17T07:31:20", "billing-batch", "billing", "NoteAdded", 2, 5,
     R"j({"text":"Credit note CN-2026-000031 issued for 2,052.40 EUR."})j"},
    {"discrepancy-4721", "2026-04-17T08:55:33", "alice", "audit-ui", "StatusChanged", 2, 0,
     R"j({"status":"closed","previous":"resolved"})j"},
    {"discrepancy-4721", "2026-04-17T09:20:05", "alice", "audit-ui", "NoteAdded", 2, 0,
     R"j({"text":"Closing. Thanks all! 🎉"})j"},
};
// clang-format on

// Story streams are reserved names: the long tail never uses these numbers.
constexpr std::array<std::pair<Kind, u32>, 3> kStoryStreams = {
    {{Kind::discrepancy, 4721}, {Kind::shipment, 88}, {Kind::invoice, 12}}};

struct StoryEvent {
    i64 ts;
    std::size_t row;
    u32 version;
};

// ---------------------------------------------------------------------------------------------
// The generator.

struct Options {
    u64 events = 0;
    u64 seed = 1;
    i64 start = 0;
    bool start_given = false;
    bool anomalies = false;
    bool sample = false;
    bool gz = false;
    bool xes = false;
    std::optional<asof_gen::OcelForm> ocel;
    std::string out;
};

enum Anomaly : std::size_t {
    duplicate_id,
    version_gap,
    duplicate_version,
    ts_backwards,
    future_ts,
    malformed_json,
    missing_stream,
    anomaly_count
};

constexpr std::array<string_view, anomaly_count> kAnomalyNames = {
    "duplicate-id",   "version-gap",    "duplicate-version", "ts-backwards",
    "future-ts-2030", "malformed-json", "missing-stream"};

// Each anomaly is armed once this share (per mille) of the generated events has been written.
constexpr std::array<u64, anomaly_count> kAnomalyAt = {310, 420, 530, 640, 750, 860, 930};

class Generator {
public:
    Generator(const Options& opt, i64 start, i64 end, Sink& sink)
        : opt_(opt), start_(start), end_(end), sink_(sink), rng_(opt.seed * 0x2545f4914f6cdd1dULL) {
        // Long-tail streams open at a time: each gets an event every few hours at any size.
        pool_target_ = std::clamp<u64>(opt.events / 400, 8, 20000);
        // Hot streams: discrepancy-1 takes 2.5 % of all events, five more take 0.5 % each.
        hot_.push_back(new_stream(Kind::discrepancy, -1));
        hot_.push_back(new_stream(Kind::shipment, -1));
        hot_.push_back(new_stream(Kind::invoice, -1));
        hot_.push_back(new_stream(Kind::discrepancy, -1));
        hot_.push_back(new_stream(Kind::shipment, -1));
        hot_.push_back(new_stream(Kind::discrepancy, -1));
    }

    // Writes all events, merging the (time-sorted) story events into the generated ones.
    void run(const std::vector<StoryEvent>& story) {
        story_streams_ = story.empty() ? 0 : kStoryStreams.size();
        const u64 generated = opt_.events - story.size();
        Timeline timeline(start_, (end_ - start_) / kHour, generated, opt_.seed ^ 0x71e11e5ULL);
        std::size_t next_story = 0;
        i64 ts = 0;
        for (slot_ = 0; timeline.next(ts); ++slot_) {
            while (next_story < story.size() && story[next_story].ts <= ts) {
                write_story(story[next_story]);
                ts = std::max(ts, story[next_story].ts + 1);
                ++next_story;
            }
            for (std::size_t a = 0; a < anomaly_count; ++a)
                if (opt_.anomalies && !done_[a] && slot_ * 1000 >= kAnomalyAt[a] * generated)
                    armed_[a] = true;
            write_generated(ts);
        }
        while (next_story < story.size())
            write_story(story[next_story++]);
    }

    void report() const {
        std::size_t busiest = 0;
        for (std::size_t i = 1; i < streams_.size(); ++i)
            if (streams_[i].count > streams_[busiest].count) busiest = i;
        std::string name;
        put_stream_name(name, streams_[busiest]);
        std::fprintf(
            stderr, "asof-gen: %llu events, %zu streams (%zu story), busiest %s (%llu events)",
            static_cast<unsigned long long>(line_), streams_.size() + story_streams_,
            story_streams_, name.c_str(), static_cast<unsigned long long>(streams_[busiest].count));
        for (std::size_t i = 1; i < hot_.size(); ++i) {
            std::string hot;
            put_stream_name(hot, streams_[hot_[i]]);
            std::fprintf(stderr, ", %s %llu", hot.c_str(),
                         static_cast<unsigned long long>(streams_[hot_[i]].count));
        }
        std::fprintf(stderr, "\n");
        for (const auto& note : anomaly_log_)
            std::fprintf(stderr, "anomaly: %s\n", note.c_str());
        for (std::size_t a = 0; a < anomaly_count; ++a)
            if (opt_.anomalies && !done_[a])
                std::fprintf(stderr, "anomaly: %s not placed (too few events)\n",
                             std::string(kAnomalyNames[a]).c_str());
    }

private:
    std::size_t new_stream(Kind kind, i64 remaining) {
        u32& counter = counters_[static_cast<std::size_t>(kind)];
        ++counter;
        if (opt_.sample)
            for (const auto& [k, n] : kStoryStreams)
                if (k == kind && n == counter) ++counter;
        Stream s;
        s.kind = kind;
        s.number = counter;
        s.remaining = remaining;
        streams_.push_back(s);
        return streams_.size() - 1;
    }

    i64 tail_length(Kind kind) {
        switch (kind) {
        case Kind::discrepancy:
            return rng_.skewed(3, 40);
        case Kind::shipment:
            return rng_.range(4, 15);
        case Kind::invoice:
            return rng_.skewed(3, 8);
        }
        return 3;
    }

    // Picks the stream of the next generated event; returns its index and its pool position
    // (SIZE_MAX for hot streams).
    std::pair<std::size_t, std::size_t> choose_stream() {
        const u64 r = rng_.below(1000);
        if (r < 25) return {hot_[0], SIZE_MAX};
        if (r < 50) return {hot_[1 + (r - 25) / 5], SIZE_MAX};
        if (pool_.size() < pool_target_) {
            static constexpr std::array<u32, 3> kind_weights = {35, 40, 25};
            const auto kind = static_cast<Kind>(rng_.weighted(kind_weights));
            pool_.push_back(new_stream(kind, tail_length(kind)));
            return {pool_.back(), pool_.size() - 1};
        }
        const std::size_t pos = rng_.index(pool_.size());
        return {pool_[pos], pos};
    }

    int schema_at(i64 ts) {
        const i64 span = end_ - start_;
        const i64 from = start_ + span * 40 / 100, to = start_ + span * 70 / 100;
        if (ts < from) return 1;
        if (ts >= to) return 2;
        return rng_.below(static_cast<u64>(to - from)) < static_cast<u64>(ts - from) ? 2 : 1;
    }

    // Writes one generated event at `ts`. An armed anomaly goes on the first long-tail stream
    // that suits it; malformed and stream-less lines leave their stream's state untouched.
    void write_generated(i64 ts) {
        auto [index, pool_pos] = choose_stream();
        Stream& s = streams_[index];
        const bool tail = pool_pos != SIZE_MAX;
        const bool fresh = s.version == 0;
        const bool last = tail && s.remaining == 1;
        const bool middle = tail && !fresh && s.version >= 2 && s.remaining >= 2;

        u64 id = line_ + 1;
        u32 version = s.version + 1;
        i64 at = ts;
        bool omit_stream = false, truncate = false;
        std::optional<Anomaly> placed;
        auto take = [&](Anomaly a, bool fits) {
            if (!placed && armed_[a] && fits) {
                armed_[a] = false;
                done_[a] = true;
                placed = a;
                return true;
            }
            return false;
        };
        if (take(duplicate_id, last && !fresh && line_ > 200))
            id = line_ + 1 - 137;
        else if (take(version_gap, middle))
            version = s.version + 2;
        else if (take(duplicate_version, middle))
            version = s.version;
        else if (take(ts_backwards, middle && ts - s.last_ts > kHour))
            at = s.last_ts - 3 * kHour - 17 * kMinute - 12 * kSecond - 345678;
        else if (take(future_ts, last && !fresh))
            at = ts + (days_from_civil(2030, 1, 1) - days_from_civil(2026, 1, 1)) * kDay;
        else if (take(malformed_json, middle))
            truncate = true;
        else if (take(missing_stream, middle))
            omit_stream = true;

        const bool phantom = truncate || omit_stream;
        const Stream saved = s;
        const int schema = schema_at(ts);
        line_buf_.clear();
        write_event(s, id, version, at, schema, omit_stream);
        if (truncate) {
            std::size_t cut = line_buf_.size() * 3 / 5;
            while (cut > 0 && (static_cast<u8>(line_buf_[cut]) & 0xc0) == 0x80)
                --cut;
            line_buf_.resize(cut);
            line_buf_ += '\n';
        }
        ++line_;
        sink_.write(line_buf_);
        if (placed) {
            std::string note =
                std::string(kAnomalyNames[*placed]) + " at line " + std::to_string(line_) + ": ";
            note += std::string_view(line_buf_).substr(
                0, std::min<std::size_t>(line_buf_.size() - 1, 110));
            anomaly_log_.push_back(note);
        }
        if (phantom) {
            s = saved;
            return;
        }
        s.version = version;
        s.last_ts = std::max(s.last_ts, ts);
        ++s.count;
        if (tail && --s.remaining == 0) {
            pool_[pool_pos] = pool_.back();
            pool_.pop_back();
        }
    }

    void write_story(const StoryEvent& e) {
        const StoryRow& row = kStory[e.row];
        ++line_;
        line_buf_.clear();
        std::string& l = line_buf_;
        l += R"({"id":"evt-)";
        put_padded(l, line_, 8);
        l += R"(","stream":")";
        l += row.stream;
        l += R"(","type":")";
        l += row.type;
        l += R"(","version":)";
        put_u(l, e.version);
        l += R"(,"ts":")";
        ts_.put(l, e.ts);
        l += R"(","actor":")";
        l += row.actor;
        l += R"(","data":)";
        l += row.data;
        u64 corr_seed =
            opt_.seed * 1000003 + (row.corr ? 100000 + static_cast<u64>(row.corr) : e.row);
        write_meta(row.schema, splitmix64(corr_seed), row.source);
        sink_.write(l);
    }

    // ---- one event ----------------------------------------------------------------------

    Actor person() {
        const string_view name = kPeople[rng_.weighted(kPeopleWeights)];
        return {name, rng_.chance(100) ? "api" : "audit-ui"};
    }

    void head(const Stream& s, u64 id, string_view type, u32 version, i64 ts, const Actor& actor,
              bool omit_stream) {
        std::string& l = line_buf_;
        l += R"({"id":"evt-)";
        put_padded(l, id, 8);
        if (!omit_stream) {
            l += R"(","stream":")";
            put_stream_name(l, s);
        }
        l += R"(","type":")";
        l += type;
        l += R"(","version":)";
        put_u(l, version);
        l += R"(,"ts":")";
        ts_.put(l, ts);
        l += R"(","actor":")";
        l += actor.name;
        l += R"(","data":{)";
    }

    void write_meta(int schema, u64 corr, string_view source) {
        std::string& l = line_buf_;
        l += R"(,"meta":{"schema":)";
        l += static_cast<char>('0' + schema);
        l += R"(,"correlation_id":"c-)";
        put_hex(l, corr);
        l += R"(","source":")";
        l += source;
        l += "\"}}\n";
    }

    void key(string_view k) {
        line_buf_ += '"';
        line_buf_ += k;
        line_buf_ += R"(":)";
    }

    void str(string_view k, string_view v) {
        key(k);
        line_buf_ += '"';
        line_buf_ += v;
        line_buf_ += '"';
    }

    void num(string_view k, u64 v) {
        key(k);
        put_u(line_buf_, v);
    }

    // Money with its currency: schema 1 {"k":1234.5,"currency":"EUR"}, schema 2
    // {"k":{"value":1234.5,"currency":"EUR"}}.
    void money(int schema, string_view k, i64 cents, u8 currency) {
        key(k);
        if (schema == 1) {
            put_cents(line_buf_, cents);
            line_buf_ += R"(,"currency":")";
        } else {
            line_buf_ += R"({"value":)";
            put_cents(line_buf_, cents);
            line_buf_ += R"(,"currency":")";
        }
        line_buf_ += kCurrencies[currency];
        line_buf_ += schema == 1 ? "\"" : "\"}";
    }

    // A second amount in the same currency: a bare number in schema 1.
    void money_aux(int schema, string_view k, i64 cents, u8 currency) {
        if (schema == 1) {
            key(k);
            put_cents(line_buf_, cents);
        } else {
            money(2, k, cents, currency);
        }
    }

    void ref(string_view k, Kind kind, u32 number) {
        key(k);
        line_buf_ += '"';
        line_buf_ += kind_name(kind);
        put_u(line_buf_, number);
        line_buf_ += '"';
    }

    void iso(string_view k, i64 ts) {
        key(k);
        line_buf_ += '"';
        const i64 days = floor_div(ts, kDay);
        put_date(line_buf_, days);
        line_buf_ += 'T';
        const auto hour = static_cast<u64>((ts - days * kDay) / kHour);
        put_padded(line_buf_, hour, 2);
        line_buf_ += R"(:00:00Z")";
    }

    u32 recent(Kind kind) {
        const u32 top = std::max<u32>(counters_[static_cast<std::size_t>(kind)], 1);
        const u32 low = top > 300 ? top - 300 : 1;
        return low + static_cast<u32>(rng_.below(top - low + 1));
    }

    void note_text(const Stream& s, bool system) {
        key("text");
        line_buf_ += '"';
        const u64 r = rng_.below(100);
        const int sentences = system ? 1 : r < 55 ? 1 : r < 85 ? 2 : r < 95 ? 3 : 5;
        for (int i = 0; i < sentences; ++i) {
            if (i) line_buf_ += ' ';
            expand(system ? rng_.pick(kSystemNotes) : rng_.pick(kNoteSentences), s);
        }
        line_buf_ += '"';
    }

    void expand(string_view tpl, const Stream& s) {
        std::string& l = line_buf_;
        std::size_t i = 0;
        while (i < tpl.size()) {
            const std::size_t open = tpl.find('{', i);
            if (open == string_view::npos || open + 2 >= tpl.size() || tpl[open + 2] != '}') {
                l += tpl.substr(i);
                return;
            }
            l += tpl.substr(i, open - i);
            switch (tpl[open + 1]) {
            case 'P':
                l += rng_.pick(kDisplayNames);
                break;
            case 'C':
                l += kCarriers[s.carrier].name;
                break;
            case 'L':
                l += rng_.pick(kLocations);
                break;
            case 'A':
                put_cents_text(l, rng_.skewed(1500, 250000));
                break;
            case '$':
                l += kCurrencies[s.currency];
                break;
            case 'N':
                put_u(l, static_cast<u64>(rng_.range(2, 33)));
                break;
            case 'M':
                put_u(l, static_cast<u64>(rng_.range(34, 40)));
                break;
            case 'R':
                put_u(l, static_cast<u64>(rng_.range(100000, 999999)));
                break;
            case 'W':
                put_u(l, static_cast<u64>(rng_.range(300, 24000)));
                break;
            default:
                l += tpl.substr(open, 3);
                break;
            }
            i = open + 3;
        }
    }

    void write_event(Stream& s, u64 id, u32 version, i64 ts, int schema, bool omit_stream) {
        if (s.version == 0 || rng_.chance(800)) s.corr = rng_.next();
        switch (s.kind) {
        case Kind::discrepancy:
            discrepancy_event(s, id, version, ts, schema, omit_stream);
            break;
        case Kind::shipment:
            shipment_event(s, id, version, ts, schema, omit_stream);
            break;
        case Kind::invoice:
            invoice_event(s, id, version, ts, schema, omit_stream);
            break;
        }
    }

    void discrepancy_event(Stream& s, u64 id, u32 version, i64 ts, int schema, bool omit) {
        enum { opened, note, adjusted, assignee, status, carrier, resolved_ev, close_ev };
        int type = note;
        if (s.version == 0) {
            type = opened;
        } else if (s.remaining == 1) {
            type = s.status == resolved ? close_ev : resolved_ev;
        } else if (s.remaining == 2 && s.status != resolved && rng_.chance(700)) {
            type = resolved_ev;
        } else {
            static constexpr std::array<u32, 5> w = {50, 12, 10, 16, 12};
            type = static_cast<int>(note + rng_.weighted(w));
            if (s.status == resolved) type = note;
        }
        std::string& l = line_buf_;
        switch (type) {
        case opened: {
            s.currency = static_cast<u8>(rng_.weighted(kCurrencyWeights));
            s.carrier = static_cast<u8>(rng_.index(kCarriers.size()));
            s.amount = rng_.skewed(2500, 1'500'000);
            s.ref_a = recent(Kind::shipment);
            s.ref_b = recent(Kind::invoice);
            const Actor actor = rng_.chance(300) ? Actor{"billing-batch", "billing"} : person();
            if (actor.name != "billing-batch") s.assignee = static_cast<u8>(rng_.index(12));
            head(s, id, "DiscrepancyOpened", version, ts, actor, omit);
            ref("shipment", Kind::shipment, s.ref_a);
            l += ',';
            ref("invoice", Kind::invoice, s.ref_b);
            l += ',';
            money(schema, "amount", s.amount, s.currency);
            l += ',';
            str("reason", rng_.pick(kReasons));
            l += ',';
            str("status", "open");
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        case note: {
            const bool system = rng_.chance(120);
            const Actor actor = system ? Actor{"system", "scheduler"} : person();
            head(s, id, "NoteAdded", version, ts, actor, omit);
            note_text(s, system);
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        case adjusted: {
            const i64 previous = s.amount;
            const i64 delta = previous * rng_.range(5, 40) / 100;
            s.amount = std::max<i64>(100, rng_.chance(450) ? previous + delta : previous - delta);
            const Actor actor = person();
            head(s, id, "AmountAdjusted", version, ts, actor, omit);
            money(schema, "amount", s.amount, s.currency);
            l += ',';
            money_aux(schema, "previous", previous, s.currency);
            l += ',';
            str("reason", rng_.pick(kAdjustReasons));
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        case assignee: {
            const u8 previous = s.assignee;
            s.assignee =
                static_cast<u8>((previous == 0xff ? 0 : previous + 1 + rng_.index(11)) % 12);
            const Actor actor = rng_.chance(300) ? Actor{"system", "scheduler"} : person();
            head(s, id, "AssigneeChanged", version, ts, actor, omit);
            str("assignee", kPeople[s.assignee]);
            l += ',';
            if (previous == 0xff) {
                key("previous");
                l += "null";
            } else {
                str("previous", kPeople[previous]);
            }
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        case status: {
            const u8 previous = s.status;
            switch (previous) {
            case open:
                s.status = investigating;
                break;
            case investigating:
                s.status = rng_.chance(750) ? awaiting_carrier : open;
                break;
            default:
                s.status = investigating;
                break;
            }
            const Actor actor = rng_.chance(200) ? Actor{"system", "scheduler"} : person();
            head(s, id, "StatusChanged", version, ts, actor, omit);
            str("status", kStatusNames[s.status]);
            l += ',';
            str("previous", kStatusNames[previous]);
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        case carrier: {
            if (rng_.chance(150)) s.carrier = static_cast<u8>(rng_.index(kCarriers.size()));
            const Carrier& c = kCarriers[s.carrier];
            head(s, id, "CarrierUpdated", version, ts, {"carrier-gateway", "carrier-edi"}, omit);
            str("carrier", c.name);
            l += ',';
            key("scac");
            l += '"';
            l += c.scac;
            l += "\",";
            key("claim_ref");
            l += '"';
            l += c.scac;
            l += "-CLM-";
            put_u(l, 100000 + u64{s.number} * 7919 % 900000);
            l += "\",";
            str("status", rng_.pick(kCarrierStatuses));
            l += ',';
            iso("eta", ts + rng_.range(1, 5) * kDay);
            l += '}';
            write_meta(schema, s.corr, "carrier-edi");
            return;
        }
        case resolved_ev: {
            s.status = resolved;
            const Actor actor = person();
            head(s, id, "DiscrepancyResolved", version, ts, actor, omit);
            str("resolution", rng_.pick(kResolutions));
            l += ',';
            money(schema, "amount", s.amount, s.currency);
            l += ',';
            str("status", "resolved");
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        default: {
            s.status = closed;
            const Actor actor = rng_.chance(500) ? Actor{"system", "scheduler"} : person();
            head(s, id, "StatusChanged", version, ts, actor, omit);
            str("status", "closed");
            l += ',';
            str("previous", "resolved");
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        }
    }

    void shipment_event(Stream& s, u64 id, u32 version, i64 ts, int schema, bool omit) {
        std::string& l = line_buf_;
        const Actor gateway{"carrier-gateway", "carrier-edi"};
        if (s.version == 0) {
            s.origin = static_cast<u8>(rng_.index(kLocations.size()));
            s.destination = static_cast<u8>((s.origin + 1 + rng_.index(kLocations.size() - 1)) %
                                            kLocations.size());
            s.carrier = static_cast<u8>(rng_.index(kCarriers.size()));
            s.currency = static_cast<u8>(rng_.weighted(kCurrencyWeights));
            s.pieces = static_cast<u8>(rng_.range(1, 33));
            s.weight = static_cast<u32>(rng_.range(800, 240000));
            s.amount = rng_.skewed(50000, 25'000'000);
            const Actor actor = rng_.chance(400) ? person() : Actor{"system", "tms"};
            head(s, id, "ShipmentCreated", version, ts, actor, omit);
            str("origin", kLocations[s.origin]);
            l += ',';
            str("destination", kLocations[s.destination]);
            l += ',';
            str("carrier", kCarriers[s.carrier].name);
            l += ',';
            str("scac", kCarriers[s.carrier].scac);
            l += ',';
            str("service", rng_.pick(kServices));
            l += ',';
            num("pieces", s.pieces);
            l += ',';
            key("weight_kg");
            put_weight(s.weight);
            l += ',';
            money(schema, "declared_value", s.amount, s.currency);
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        const bool last = s.remaining == 1;
        if (s.phase == 0 && !last) {
            s.phase = 1;
            head(s, id, "ShipmentPickedUp", version, ts, gateway, omit);
            str("location", kLocations[s.origin]);
            l += ',';
            num("pieces", s.pieces);
            l += ',';
            key("trailer");
            l += '"';
            l += kCarriers[s.carrier].scac.substr(0, 2);
            l += '-';
            put_u(l, 1000 + u64{s.number} * 31 % 9000);
            l += "\"}";
            write_meta(schema, s.corr, gateway.source);
            return;
        }
        if (last && s.phase < 3) {
            s.phase = 3;
            head(s, id, "ShipmentDelivered", version, ts, gateway, omit);
            str("location", kLocations[s.destination]);
            l += ',';
            str("signed_by", rng_.pick(kSigners));
            l += ',';
            num("pieces", s.pieces - (rng_.chance(50) ? 1u : 0u));
            l += '}';
            write_meta(schema, s.corr, gateway.source);
            return;
        }
        if (rng_.chance(s.remaining < 0 ? 20 : 110)) {
            const u32 previous = s.weight;
            const i64 delta = rng_.range(-15, 20) * static_cast<i64>(previous) / 100;
            s.weight = static_cast<u32>(std::max<i64>(10, static_cast<i64>(previous) + delta));
            const Actor actor = rng_.chance(700) ? gateway : person();
            head(s, id, "ShipmentWeightCorrected", version, ts, actor, omit);
            key("weight_kg");
            put_weight(s.weight);
            l += ',';
            key("previous_kg");
            put_weight(previous);
            l += ',';
            str("reason", rng_.chance(600) ? "reweigh at hub" : "booking corrected");
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        s.phase = 2;
        head(s, id, "ShipmentInTransit", version, ts, gateway, omit);
        str("location", rng_.pick(kLocations));
        l += ',';
        str("checkpoint", rng_.pick(kCheckpoints));
        l += ',';
        iso("eta", ts + rng_.range(4, 72) * kHour);
        l += '}';
        write_meta(schema, s.corr, gateway.source);
    }

    void put_weight(u32 tenths) {
        put_u(line_buf_, tenths / 10);
        if (tenths % 10) {
            line_buf_ += '.';
            line_buf_ += static_cast<char>('0' + tenths % 10);
        }
    }

    void invoice_event(Stream& s, u64 id, u32 version, i64 ts, int schema, bool omit) {
        std::string& l = line_buf_;
        const Actor billing{"billing-batch", "billing"};
        if (s.version == 0) {
            s.currency = static_cast<u8>(rng_.weighted(kCurrencyWeights));
            s.customer = static_cast<u8>(rng_.index(kCustomers.size()));
            s.lines = static_cast<u8>(rng_.skewed(1, 6));
            s.ref_a = recent(Kind::shipment);
            head(s, id, "InvoiceIssued", version, ts, billing, omit);
            key("number");
            l += "\"INV-";
            put_u(l, static_cast<u64>(civil_from_days(floor_div(ts, kDay)).y));
            l += '-';
            put_padded(l, s.number, 6);
            l += "\",";
            str("customer", kCustomers[s.customer]);
            l += ',';
            key("due");
            l += '"';
            put_date(l, floor_div(ts, kDay) + 30);
            l += "\",";
            key("lines");
            l += '[';
            s.amount = 0;
            for (u8 i = 1; i <= s.lines; ++i) {
                if (i > 1) l += ',';
                const u32 shipment = i == 1 || rng_.chance(700) ? s.ref_a : recent(Kind::shipment);
                const i64 cents = i == 1 ? rng_.skewed(20000, 900000) : rng_.skewed(1500, 150000);
                s.amount += cents;
                l += '{';
                num("line", i);
                l += ',';
                key("description");
                l += '"';
                if (i == 1) {
                    l += "Linehaul ";
                    l += rng_.pick(kLocations);
                    l += " – ";
                    l += rng_.pick(kLocations);
                } else {
                    l += rng_.pick(kLineItems);
                }
                l += "\",";
                ref("shipment", Kind::shipment, shipment);
                l += ',';
                money_aux(schema, "amount", cents, s.currency);
                l += '}';
            }
            l += "],";
            money(schema, "total", s.amount, s.currency);
            l += '}';
            write_meta(schema, s.corr, billing.source);
            return;
        }
        enum { disputed, credit, note, paid };
        int type = note;
        if (s.remaining == 1) {
            type = paid;
        } else {
            static constexpr std::array<u32, 4> w = {45, 25, 20, 10};
            type = static_cast<int>(rng_.weighted(w));
        }
        const i64 open_cents = std::max<i64>(100, s.amount - s.paid);
        switch (type) {
        case disputed: {
            const Actor actor = person();
            head(s, id, "InvoiceLineDisputed", version, ts, actor, omit);
            num("line", static_cast<u64>(rng_.range(1, s.lines)));
            l += ',';
            str("reason", rng_.pick(kDisputeReasons));
            l += ',';
            money(schema, "amount", std::max<i64>(100, open_cents * rng_.range(5, 60) / 100),
                  s.currency);
            l += ',';
            ref("discrepancy", Kind::discrepancy, recent(Kind::discrepancy));
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        case credit: {
            const i64 cents = std::max<i64>(100, open_cents * rng_.range(3, 30) / 100);
            s.paid += cents;
            head(s, id, "CreditNoteIssued", version, ts, billing, omit);
            key("credit_note");
            l += "\"CN-";
            put_u(l, static_cast<u64>(civil_from_days(floor_div(ts, kDay)).y));
            l += '-';
            put_padded(l, ++credit_notes_, 6);
            l += "\",";
            money(schema, "amount", cents, s.currency);
            l += ',';
            str("reason", rng_.pick(kReasons));
            l += '}';
            write_meta(schema, s.corr, billing.source);
            return;
        }
        case note: {
            const Actor actor = person();
            head(s, id, "NoteAdded", version, ts, actor, omit);
            note_text(s, false);
            l += '}';
            write_meta(schema, s.corr, actor.source);
            return;
        }
        default: {
            const bool partial = s.remaining != 1 && rng_.chance(600);
            const i64 cents = partial ? std::max<i64>(100, open_cents / 2) : open_cents;
            s.paid += cents;
            head(s, id, "InvoicePaid", version, ts, billing, omit);
            money(schema, "amount", cents, s.currency);
            l += ',';
            str("method", rng_.chance(850) ? "SEPA" : "card");
            l += ',';
            key("reference");
            l += "\"PAY-";
            put_date(l, floor_div(ts, kDay));
            l += '-';
            put_padded(l, s.number, 6);
            l += "\",";
            key("partial");
            l += partial ? "true" : "false";
            l += '}';
            write_meta(schema, s.corr, billing.source);
            return;
        }
        }
    }

    const Options& opt_;
    i64 start_, end_;
    Sink& sink_;
    Rng rng_;
    TsFormatter ts_;
    std::string line_buf_;
    std::vector<Stream> streams_;
    std::vector<std::size_t> hot_;
    std::vector<std::size_t> pool_;
    u64 pool_target_ = 8;
    std::array<u32, 3> counters_{};
    u64 credit_notes_ = 0;
    u64 line_ = 0;
    u64 slot_ = 0;
    std::size_t story_streams_ = 0;
    std::array<bool, anomaly_count> armed_{};
    std::array<bool, anomaly_count> done_{};
    std::vector<std::string> anomaly_log_;
};

// The story rows as UTC events in time order with per-stream versions.
std::vector<StoryEvent> build_story(u64 seed) {
    std::vector<StoryEvent> events;
    u64 state = seed ^ 0x5eed5a3b1eULL;
    for (std::size_t i = 0; i < std::size(kStory); ++i) {
        const auto local = parse_time(kStory[i].local);
        if (!local) {
            std::fprintf(stderr, "asof-gen: bad story time %s\n", kStory[i].local);
            std::exit(2);
        }
        const i64 micros = static_cast<i64>(splitmix64(state) % 1'000'000);
        events.push_back({berlin_to_utc(*local) + micros, i, 0});
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const StoryEvent& a, const StoryEvent& b) { return a.ts < b.ts; });
    for (auto& e : events) {
        u32 version = 0;
        for (const auto& other : events) {
            if (&other == &e) break;
            if (std::strcmp(kStory[other.row].stream, kStory[e.row].stream) == 0) ++version;
        }
        e.version = version + 1;
    }
    return events;
}

// ---------------------------------------------------------------------------------------------
// XES output (--xes): the generated JSON Lines, regrouped by stream (a trace's events are
// contiguous in XES). Each stream is a trace named by the stream; each line an event: type ->
// concept:name, ts -> time:timestamp, actor -> org:resource, id -> identity:id, version -> an
// int, the members of data as event attributes, meta as a container. JSON strings, integers,
// other numbers, booleans, objects and arrays become <string>, <int>, <float>, <boolean>,
// <container> and <list>; nulls are left out.

// The generator's own JSON turned into XES attributes.
struct JsonToXes : asof_gen::JsonScan {
    // Writes the value at `at` as an XES attribute named `key` (already escaped) into `out`.
    void value(std::string& out, const std::string& key, int indent) {
        ws();
        if (at >= in.size()) {
            ok = false;
            return;
        }
        const std::string pad(static_cast<std::size_t>(indent), '\t');
        const char c = in[at];
        if (c == '"') {
            string();
            out += pad + "<string key=\"" + key + "\" value=\"";
            put_xml_escaped(out, text);
            out += "\"/>\n";
        } else if (c == '{' || c == '[') {
            const bool object = c == '{';
            ++at;
            out += pad + (object ? "<container key=\"" : "<list key=\"") + key + "\">\n";
            std::string child_key;
            if (!eat(object ? '}' : ']')) {
                do {
                    if (object) {
                        string();
                        child_key.clear();
                        put_xml_escaped(child_key, text);
                        if (!eat(':')) ok = false;
                    }
                    value(out, object ? child_key : key, indent + 1);
                } while (ok && eat(','));
                ok = ok && eat(object ? '}' : ']');
            }
            out += pad + (object ? "</container>\n" : "</list>\n");
        } else if (in.substr(at, 4) == "true" || in.substr(at, 5) == "false") {
            const bool t = c == 't';
            at += t ? 4 : 5;
            out +=
                pad + "<boolean key=\"" + key + "\" value=\"" + (t ? "true" : "false") + "\"/>\n";
        } else if (in.substr(at, 4) == "null") {
            at += 4;
        } else {
            const std::size_t begin = at;
            bool real = false;
            while (at < in.size() && std::strchr("0123456789+-.eE", in[at])) {
                real = real || in[at] == '.' || in[at] == 'e' || in[at] == 'E';
                ++at;
            }
            if (at == begin) {
                ok = false;
                return;
            }
            out += pad + (real ? "<float key=\"" : "<int key=\"") + key + "\" value=\"";
            out += in.substr(begin, at - begin);
            out += "\"/>\n";
        }
    }
};

// One JSON Lines event as an XES <event> element.
bool event_to_xes(string_view line, std::string& out) {
    JsonToXes j;
    j.in = line;
    out += "\t\t<event>\n";
    if (!j.eat('{')) return false;
    std::string key;
    if (!j.eat('}')) {
        do {
            j.string();
            key = j.text;
            if (!j.eat(':')) return false;
            if (key == "stream") {
                j.string();
            } else if (key == "data") {
                // The payload's members become the event's own attributes.
                if (!j.eat('{')) return false;
                std::string member;
                if (!j.eat('}')) {
                    do {
                        j.string();
                        member.clear();
                        put_xml_escaped(member, j.text);
                        if (!j.eat(':')) return false;
                        j.value(out, member, 3);
                    } while (j.ok && j.eat(','));
                    if (!j.eat('}')) return false;
                }
            } else {
                static const std::array<std::pair<string_view, string_view>, 4> renamed = {{
                    {"type", "concept:name"},
                    {"actor", "org:resource"},
                    {"id", "identity:id"},
                    {"ts", "time:timestamp"},
                }};
                std::string name = key;
                for (const auto& [from, to] : renamed)
                    if (key == from) name = std::string(to);
                if (key == "ts") {
                    j.string();
                    out += "\t\t\t<date key=\"time:timestamp\" value=\"";
                    put_xml_escaped(out, j.text);
                    out += "\"/>\n";
                } else {
                    std::string escaped;
                    put_xml_escaped(escaped, name);
                    j.value(out, escaped, 3);
                }
            }
        } while (j.ok && j.eat(','));
        if (!j.eat('}')) return false;
    }
    out += "\t\t</event>\n";
    return j.ok;
}

// Regroups the JSON Lines in `lines` (read from the start) by stream and writes them to `sink`
// as an XES log. Holds one offset, length and stream number per line, not the lines.
bool write_xes(FILE* lines, Sink& sink) {
    std::unordered_map<std::string, u32> stream_number;
    std::vector<std::string> stream_names;
    std::vector<u64> offsets;
    std::vector<u32> lengths, streams;
    const bool read =
        asof_gen::for_each_line(lines, [&](string_view line, u64 offset, std::size_t length) {
            constexpr string_view marker = "\"stream\":\"";
            std::string name = "unknown"; // a line without "stream" (--anomalies)
            if (auto at = line.find(marker); at != string_view::npos) {
                auto begin = at + marker.size();
                name = std::string(line.substr(begin, line.find('"', begin) - begin));
            }
            auto [it, fresh] =
                stream_number.try_emplace(name, static_cast<u32>(stream_names.size()));
            if (fresh) stream_names.push_back(name);
            offsets.push_back(offset);
            lengths.push_back(static_cast<u32>(length));
            streams.push_back(it->second);
        });
    if (!read) return false;
    // Lines grouped by stream, in file order within each (a counting sort).
    std::vector<u64> start(stream_names.size() + 1, 0);
    for (u32 s : streams)
        ++start[s + 1];
    for (std::size_t s = 1; s < start.size(); ++s)
        start[s] += start[s - 1];
    std::vector<u32> order(streams.size());
    for (std::size_t i = 0; i < streams.size(); ++i)
        order[start[streams[i]]++] = static_cast<u32>(i);

    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<!-- asof-gen: freight-audit events, one trace per stream -->\n"
                      "<log xes.version=\"1849-2016\" xes.features=\"nested-attributes\" "
                      "xmlns=\"http://www.xes-standard.org/\">\n"
                      "\t<extension name=\"Concept\" prefix=\"concept\" "
                      "uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
                      "\t<extension name=\"Time\" prefix=\"time\" "
                      "uri=\"http://www.xes-standard.org/time.xesext\"/>\n"
                      "\t<extension name=\"Organizational\" prefix=\"org\" "
                      "uri=\"http://www.xes-standard.org/org.xesext\"/>\n"
                      "\t<extension name=\"Identity\" prefix=\"identity\" "
                      "uri=\"http://www.xes-standard.org/identity.xesext\"/>\n";
    std::string line, event;
    u32 current = ~u32{0};
    for (u32 index : order) {
        if (streams[index] != current) {
            if (current != ~u32{0}) out += "\t</trace>\n";
            current = streams[index];
            out += "\t<trace>\n\t\t<string key=\"concept:name\" value=\"";
            put_xml_escaped(out, stream_names[current]);
            out += "\"/>\n";
        }
        line.resize(lengths[index]);
        if (::pread(::fileno(lines), line.data(), line.size(),
                    static_cast<off_t>(offsets[index])) != static_cast<ssize_t>(line.size()))
            return false;
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.pop_back();
        event.clear();
        if (event_to_xes(line, event))
            out += event;
        else // the malformed line of --anomalies: XES cannot carry it
            std::fprintf(stderr, "asof-gen: line %u is not JSON; left out of the XES log\n",
                         index + 1);
        if (out.size() > (1u << 20)) {
            sink.write(out);
            out.clear();
        }
    }
    if (current != ~u32{0}) out += "\t</trace>\n";
    out += "</log>\n";
    sink.write(out);
    return true;
}

[[noreturn]] void usage(int code) {
    std::fprintf(code ? stderr : stdout,
                 "usage: asof-gen --events N [--seed S] [--start 2026-01-05T00:00:00Z] "
                 "[--anomalies] [--sample] [--gz] [-o FILE]\n"
                 "Writes N freight-audit events as JSON Lines (stdout unless -o), spread over "
                 "102 days 8 hours from --start.\n"
                 "  --anomalies  inject one duplicate id, version gap, duplicate version, "
                 "backwards ts, 2030 ts,\n"
                 "               malformed line and line without \"stream\" (reported on stderr)\n"
                 "  --sample     the bundled sample: adds the scripted story of discrepancy-4721, "
                 "shipment-88, invoice-12\n"
                 "  --gz         gzip output (deterministic header)\n"
                 "  --xes        write the same events as XES (IEEE 1849): one trace per stream, "
                 "streams in\n"
                 "               order of their first event, file order within a stream\n"
                 "  --ocel-json, --ocel-xml, --ocel-sqlite\n"
                 "               write the same events as an OCEL 2.0 log (JSON, XML or SQLite; "
                 "SQLite needs -o):\n"
                 "               each stream an object, the aggregates its data names linked "
                 "objects, objects\n"
                 "               related, their status, amount, weight ... as dated attribute "
                 "values\n");
    std::exit(code);
}

std::optional<u64> parse_u64(string_view s) {
    u64 v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

} // namespace

int main(int argc, char** argv) {
    Options opt;
    bool have_events = false;
    for (int i = 1; i < argc; ++i) {
        const string_view a = argv[i];
        auto value = [&]() -> string_view {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "asof-gen: %s needs a value\n", argv[i]);
                usage(2);
            }
            return argv[++i];
        };
        if (a == "--events") {
            auto v = parse_u64(value());
            if (!v || *v == 0) usage(2);
            opt.events = *v;
            have_events = true;
        } else if (a == "--seed") {
            auto v = parse_u64(value());
            if (!v) usage(2);
            opt.seed = *v;
        } else if (a == "--start") {
            const string_view text = value();
            auto t = parse_time(text);
            if (!t) {
                std::fprintf(stderr, "asof-gen: bad --start %.*s\n", static_cast<int>(text.size()),
                             text.data());
                return 2;
            }
            opt.start = *t;
            opt.start_given = true;
        } else if (a == "--anomalies") {
            opt.anomalies = true;
        } else if (a == "--sample") {
            opt.sample = true;
        } else if (a == "--gz") {
            opt.gz = true;
        } else if (a == "--xes") {
            opt.xes = true;
        } else if (a == "--ocel-json") {
            opt.ocel = asof_gen::OcelForm::json;
        } else if (a == "--ocel-xml") {
            opt.ocel = asof_gen::OcelForm::xml;
        } else if (a == "--ocel-sqlite") {
            opt.ocel = asof_gen::OcelForm::sqlite;
        } else if (a == "-o" || a == "--output") {
            opt.out = std::string(value());
        } else if (a == "-h" || a == "--help") {
            usage(0);
        } else {
            std::fprintf(stderr, "asof-gen: unknown option %s\n", argv[i]);
            usage(2);
        }
    }
    if (!have_events) usage(2);
    if (opt.sample && opt.start_given) {
        std::fprintf(stderr, "asof-gen: --sample fixes the time span; drop --start\n");
        return 2;
    }
    const i64 start = opt.start_given ? opt.start : days_from_civil(2026, 1, 5) * kDay;
    const i64 end = start + 102 * kDay + 8 * kHour;

    std::vector<StoryEvent> story;
    if (opt.sample) {
        story = build_story(opt.seed);
        if (opt.events < story.size() + 1000) {
            std::fprintf(stderr, "asof-gen: --sample needs at least %zu events\n",
                         story.size() + 1000);
            return 2;
        }
    }

    if (opt.ocel && opt.xes) {
        std::fprintf(stderr, "asof-gen: choose one of --xes and --ocel-*\n");
        return 2;
    }
    const bool sqlite = opt.ocel == asof_gen::OcelForm::sqlite;
    if (opt.ocel && opt.anomalies) {
        std::fprintf(stderr, "asof-gen: --anomalies is for JSON Lines and XES; an OCEL log cannot "
                             "carry a malformed line or a duplicate event id\n");
        return 2;
    }
    if (sqlite && opt.out.empty()) {
        std::fprintf(stderr, "asof-gen: --ocel-sqlite writes a database file: give it with -o "
                             "FILE (it cannot go to stdout)\n");
        return 2;
    }
    if (sqlite && opt.gz) {
        std::fprintf(stderr, "asof-gen: --gz does not apply to --ocel-sqlite\n");
        return 2;
    }

    Sink sink;
    if (!sqlite && !sink.open(opt.out, opt.gz)) {
        std::fprintf(stderr, "asof-gen: cannot open %s: %s\n",
                     opt.out.empty() ? "stdout" : opt.out.c_str(), std::strerror(errno));
        return 1;
    }
    if (opt.xes || opt.ocel) {
        // The JSON Lines go to a temporary file first; write_xes regroups them by stream,
        // write_ocel reads them twice (objects, then events).
        FILE* lines = std::tmpfile();
        if (!lines) {
            std::fprintf(stderr, "asof-gen: cannot create a temporary file: %s\n",
                         std::strerror(errno));
            return 1;
        }
        Sink line_sink;
        line_sink.open_file(lines);
        Generator gen(opt, start, end, line_sink);
        gen.run(story);
        bool ok = line_sink.close();
        if (ok && opt.xes) ok = write_xes(lines, sink);
        if (ok && opt.ocel) ok = asof_gen::write_ocel(lines, *opt.ocel, sink, opt.out);
        std::fclose(lines);
        if ((!sqlite && !sink.close()) || !ok) {
            std::fprintf(stderr, "asof-gen: write error: %s\n", std::strerror(errno));
            return 1;
        }
        gen.report();
        return 0;
    }
    Generator gen(opt, start, end, sink);
    gen.run(story);
    if (!sink.close()) {
        std::fprintf(stderr, "asof-gen: write error: %s\n", std::strerror(errno));
        return 1;
    }
    gen.report();
    return 0;
}
