#include "host_objects.h"

#include <algorithm>
#include <cstring>

namespace testhost
{

using namespace vst3;

tresult HostApplication::getName(String128 name)
{
    const char* text = "MixMate test host";
    size_t i = 0;
    for (; text[i] != '\0'; ++i)
    {
        name[i] = static_cast<char16>(text[i]);
    }
    name[i] = 0;
    return kResultOk;
}

tresult MemoryStream::read(void* buffer, int32_t numBytes, int32_t* numBytesRead)
{
    const int64_t available = static_cast<int64_t>(data.size()) - position;
    const int32_t n = static_cast<int32_t>(std::max<int64_t>(0, std::min<int64_t>(numBytes, available)));
    if (n > 0)
    {
        std::memcpy(buffer, data.data() + position, static_cast<size_t>(n));
    }
    position += n;
    if (numBytesRead != nullptr)
    {
        *numBytesRead = n;
    }
    return kResultOk;
}

tresult MemoryStream::write(void* buffer, int32_t numBytes, int32_t* numBytesWritten)
{
    if (numBytes < 0)
    {
        return kInvalidArgument;
    }
    const size_t end = static_cast<size_t>(position) + static_cast<size_t>(numBytes);
    if (data.size() < end)
    {
        data.resize(end);
    }
    std::memcpy(data.data() + position, buffer, static_cast<size_t>(numBytes));
    position = static_cast<int64_t>(end);
    if (numBytesWritten != nullptr)
    {
        *numBytesWritten = numBytes;
    }
    return kResultOk;
}

tresult MemoryStream::seek(int64_t pos, int32_t mode, int64_t* result)
{
    const int64_t base = mode == kIBSeekSet   ? 0
                         : mode == kIBSeekCur ? position
                                              : static_cast<int64_t>(data.size());
    const int64_t target = base + pos;
    if (target < 0)
    {
        return kInvalidArgument;
    }
    position = target;
    if (result != nullptr)
    {
        *result = position;
    }
    return kResultOk;
}

tresult MemoryStream::tell(int64_t* pos)
{
    if (pos == nullptr)
    {
        return kInvalidArgument;
    }
    *pos = position;
    return kResultOk;
}

tresult ParamQueue::getPoint(int32_t index, int32_t& sampleOffset, ParamValue& value)
{
    if (index < 0 || index >= static_cast<int32_t>(points.size()))
    {
        return kInvalidArgument;
    }
    sampleOffset = points[static_cast<size_t>(index)].first;
    value = points[static_cast<size_t>(index)].second;
    return kResultOk;
}

tresult ParamQueue::addPoint(int32_t sampleOffset, ParamValue value, int32_t& index)
{
    index = static_cast<int32_t>(points.size());
    points.emplace_back(sampleOffset, value);
    return kResultOk;
}

ParameterChanges::ParameterChanges() : queues(256)
{
    for (auto& q : queues)
    {
        q.points.reserve(1024);
    }
}

IParamValueQueue* ParameterChanges::getParameterData(int32_t index)
{
    return index >= 0 && index < used ? &queues[static_cast<size_t>(index)] : nullptr;
}

IParamValueQueue* ParameterChanges::addParameterData(const ParamID& id, int32_t& index)
{
    for (int32_t i = 0; i < used; ++i)
    {
        if (queues[static_cast<size_t>(i)].id == id)
        {
            index = i;
            return &queues[static_cast<size_t>(i)];
        }
    }
    if (used >= static_cast<int32_t>(queues.size()))
    {
        return nullptr;
    }
    index = used;
    ParamQueue& q = queues[static_cast<size_t>(used++)];
    q.id = id;
    q.points.clear();
    return &q;
}

void ParameterChanges::clear()
{
    for (int32_t i = 0; i < used; ++i)
    {
        queues[static_cast<size_t>(i)].points.clear();
    }
    used = 0;
}

double ParameterChanges::lastValue(ParamID id) const
{
    for (int32_t i = 0; i < used; ++i)
    {
        const ParamQueue& q = queues[static_cast<size_t>(i)];
        if (q.id == id && !q.points.empty())
        {
            return q.points.back().second;
        }
    }
    return -1;
}

tresult EventList::getEvent(int32_t index, Event& e)
{
    if (index < 0 || index >= static_cast<int32_t>(events.size()))
    {
        return kInvalidArgument;
    }
    e = events[static_cast<size_t>(index)];
    return kResultOk;
}

void EventList::noteOn(int32_t offset, int16_t pitch, float velocity, int32_t noteId)
{
    Event e{};
    e.sampleOffset = offset;
    e.type = kNoteOnEvent;
    e.noteOn = NoteOnEvent{0, pitch, 0.0f, velocity, 0, noteId};
    events.push_back(e);
}

void EventList::noteOff(int32_t offset, int16_t pitch, int32_t noteId)
{
    Event e{};
    e.sampleOffset = offset;
    e.type = kNoteOffEvent;
    e.noteOff = NoteOffEvent{0, pitch, 0.0f, noteId, 0.0f};
    events.push_back(e);
}

} // namespace testhost
