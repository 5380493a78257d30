// A map from names to values for tables of a million entries and more, such as the streams an
// import meets: names are copied into shared 1 MiB blocks, values sit in chunks of 4,096, and
// an open-addressing index of 8-byte slots (load at most three quarters) finds them. Besides the
// name and the value an entry costs 16 bytes and 1.3 to 2.7 slots, a little less than a node of
// std::unordered_map; what differs is that the memory is a few large allocations, which go
// back to the system when the table is cleared (a million freed small nodes stay resident in
// the heap), and that a lookup does not chase a chain of nodes. References to values stay
// valid until clear(), as in a node-based map.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace asof {

template <class T> class NameTable {
public:
    // The value stored under `name`, or nullptr.
    T* find(std::string_view name) {
        if (slots_.empty()) return nullptr;
        const std::uint64_t hash = hash_of(name);
        for (std::size_t at = hash & mask();; at = (at + 1) & mask()) {
            const Slot slot = slots_[at];
            if (slot.entry == 0) return nullptr;
            if (slot.tag == tag_of(hash)) {
                Entry& entry = entry_at(slot.entry - 1);
                if (entry.name == name) return &entry.value;
            }
        }
    }

    // Stores `value` under `name`, which must not be stored yet; returns the stored value.
    T& insert(std::string_view name, T value) {
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        if (size_ % chunk_entries == 0) chunks_.emplace_back().reserve(chunk_entries);
        // Within its reserved capacity a chunk never moves its entries.
        Entry& entry = chunks_.back().emplace_back(Entry{copy_name(name), std::move(value)});
        place(hash_of(name), static_cast<std::uint32_t>(++size_));
        return entry.value;
    }

    // Calls f(name, value) for each entry, in insertion order.
    template <class F> void for_each(F&& f) {
        for (auto& chunk : chunks_)
            for (Entry& entry : chunk)
                f(entry.name, entry.value);
    }

    std::size_t size() const { return size_; }

    // Forgets every entry and frees the memory.
    void clear() {
        std::vector<std::vector<Entry>>().swap(chunks_);
        size_ = 0;
        std::vector<Slot>().swap(slots_);
        std::vector<std::unique_ptr<char[]>>().swap(blocks_);
        block_used_ = block_size_ = 0;
    }

private:
    struct Entry {
        std::string_view name; // into blocks_
        T value;
    };
    struct Slot {
        std::uint32_t entry = 0; // the entry's index + 1; 0 for an empty slot
        std::uint32_t tag = 0;   // the hash's high half: most mismatches end here
    };
    static constexpr std::size_t block_bytes = 1 << 20;
    static constexpr std::size_t chunk_entries = 4096;

    Entry& entry_at(std::uint32_t index) {
        return chunks_[index / chunk_entries][index % chunk_entries];
    }

    static std::uint64_t hash_of(std::string_view name) {
        return std::hash<std::string_view>{}(name);
    }
    static std::uint32_t tag_of(std::uint64_t hash) {
        return static_cast<std::uint32_t>(hash >> 32);
    }
    std::size_t mask() const { return slots_.size() - 1; }

    void place(std::uint64_t hash, std::uint32_t entry) {
        std::size_t at = hash & mask();
        while (slots_[at].entry != 0)
            at = (at + 1) & mask();
        slots_[at] = {entry, tag_of(hash)};
    }

    // Doubles the index (load at most three quarters: with the tags, a probe past a slot of
    // another name costs one comparison of integers) and places every entry again.
    void grow() {
        slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, Slot{});
        std::uint32_t index = 0;
        for (const auto& chunk : chunks_)
            for (const Entry& entry : chunk)
                place(hash_of(entry.name), ++index);
    }

    std::string_view copy_name(std::string_view name) {
        if (name.empty()) return {};
        if (block_size_ - block_used_ < name.size()) {
            block_size_ = std::max(block_bytes, name.size());
            blocks_.push_back(std::make_unique<char[]>(block_size_));
            block_used_ = 0;
        }
        char* at = blocks_.back().get() + block_used_;
        std::memcpy(at, name.data(), name.size());
        block_used_ += name.size();
        return {at, name.size()};
    }

    std::vector<std::vector<Entry>> chunks_; // each reserved to chunk_entries
    std::size_t size_ = 0;
    std::vector<Slot> slots_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t block_used_ = 0, block_size_ = 0;
};

} // namespace asof
