// The host-side VST3 objects MixMate's test host hands to a plug-in: our own minimal
// implementations (host application, component handler, memory stream, parameter queues,
// event list). They are stack/member objects; reference counting is accepted and ignored.
#pragma once

#include "../vst3abi/vst3abi.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace testhost
{

// Shared FUnknown plumbing for objects owned by the test host (never deleted through release).
template <class Interface> class HostObject : public Interface
{
public:
    vst3::tresult queryInterface(const char* iid, void** obj) override
    {
        if (vst3::tuidEquals(iid, vst3::kIidFUnknown) || vst3::tuidEquals(iid, iidOf()))
        {
            *obj = this;
            return vst3::kResultOk;
        }
        *obj = nullptr;
        return vst3::kNoInterface;
    }
    uint32_t addRef() override { return ++refs_; }
    uint32_t release() override { return --refs_; }

protected:
    virtual const vst3::Tuid& iidOf() const = 0;

private:
    std::atomic<uint32_t> refs_{1};
};

class HostApplication final : public HostObject<vst3::IHostApplication>
{
public:
    vst3::tresult getName(vst3::String128 name) override;
    vst3::tresult createInstance(uint8_t*, uint8_t*, void** obj) override
    {
        *obj = nullptr;
        return vst3::kResultFalse;
    }

protected:
    const vst3::Tuid& iidOf() const override { return vst3::kIidIHostApplication; }
};

// Records what a DAW would: restarts, and every begin/perform/end edit (as automation and undo
// would see them). Answers IComponentHandler2 too, counting grouped edits.
class ComponentHandler final : public HostObject<vst3::IComponentHandler>
{
public:
    struct Edit
    {
        vst3::ParamID id;
        double value;
    };

    vst3::tresult queryInterface(const char* iid, void** obj) override
    {
        if (vst3::tuidEquals(iid, vst3::kIidIComponentHandler2))
        {
            *obj = &group;
            return vst3::kResultOk;
        }
        return HostObject<vst3::IComponentHandler>::queryInterface(iid, obj);
    }
    vst3::tresult beginEdit(vst3::ParamID id) override
    {
        ++begins;
        open.push_back(id);
        return vst3::kResultOk;
    }
    vst3::tresult performEdit(vst3::ParamID id, vst3::ParamValue value) override
    {
        bool inside = false;
        for (vst3::ParamID o : open)
        {
            inside |= o == id;
        }
        outsideBeginEnd += inside ? 0 : 1;
        edits.push_back(Edit{id, value});
        return vst3::kResultOk;
    }
    vst3::tresult endEdit(vst3::ParamID id) override
    {
        ++ends;
        for (size_t i = 0; i < open.size(); ++i)
        {
            if (open[i] == id)
            {
                open.erase(open.begin() + static_cast<long>(i));
                break;
            }
        }
        return vst3::kResultOk;
    }
    vst3::tresult restartComponent(int32_t flags) override
    {
        restartFlags |= flags;
        ++restarts;
        return vst3::kResultOk;
    }
    int32_t restartFlags = 0;
    int restarts = 0;
    int begins = 0;
    int ends = 0;
    int outsideBeginEnd = 0;
    std::vector<Edit> edits;
    std::vector<vst3::ParamID> open;

    class Group final : public HostObject<vst3::IComponentHandler2>
    {
    public:
        vst3::tresult setDirty(vst3::TBool) override { return vst3::kResultOk; }
        vst3::tresult requestOpenEditor(vst3::FIDString) override { return vst3::kResultFalse; }
        vst3::tresult startGroupEdit() override
        {
            ++started;
            return vst3::kResultOk;
        }
        vst3::tresult finishGroupEdit() override
        {
            ++finished;
            return vst3::kResultOk;
        }
        int started = 0;
        int finished = 0;

    protected:
        const vst3::Tuid& iidOf() const override { return vst3::kIidIComponentHandler2; }
    } group;

protected:
    const vst3::Tuid& iidOf() const override { return vst3::kIidIComponentHandler; }
};

class MemoryStream final : public HostObject<vst3::IBStream>
{
public:
    vst3::tresult read(void* buffer, int32_t numBytes, int32_t* numBytesRead) override;
    vst3::tresult write(void* buffer, int32_t numBytes, int32_t* numBytesWritten) override;
    vst3::tresult seek(int64_t pos, int32_t mode, int64_t* result) override;
    vst3::tresult tell(int64_t* pos) override;
    std::vector<uint8_t> data;
    int64_t position = 0;

protected:
    const vst3::Tuid& iidOf() const override { return vst3::kIidIBStream; }
};

class ParamQueue final : public HostObject<vst3::IParamValueQueue>
{
public:
    vst3::ParamID getParameterId() override { return id; }
    int32_t getPointCount() override { return static_cast<int32_t>(points.size()); }
    vst3::tresult getPoint(int32_t index, int32_t& sampleOffset, vst3::ParamValue& value) override;
    vst3::tresult addPoint(int32_t sampleOffset, vst3::ParamValue value, int32_t& index) override;
    vst3::ParamID id = 0;
    std::vector<std::pair<int32_t, double>> points;

protected:
    const vst3::Tuid& iidOf() const override { return vst3::kIidIParamValueQueue; }
};

// Preallocated: clear() keeps capacity, so reuse in a process loop does not allocate.
class ParameterChanges final : public HostObject<vst3::IParameterChanges>
{
public:
    ParameterChanges();
    int32_t getParameterCount() override { return used; }
    vst3::IParamValueQueue* getParameterData(int32_t index) override;
    vst3::IParamValueQueue* addParameterData(const vst3::ParamID& id, int32_t& index) override;
    void clear();
    // Convenience: the last value written for id, or -1.
    double lastValue(vst3::ParamID id) const;
    std::vector<ParamQueue> queues;
    int32_t used = 0;

protected:
    const vst3::Tuid& iidOf() const override { return vst3::kIidIParameterChanges; }
};

class EventList final : public HostObject<vst3::IEventList>
{
public:
    int32_t getEventCount() override { return static_cast<int32_t>(events.size()); }
    vst3::tresult getEvent(int32_t index, vst3::Event& e) override;
    vst3::tresult addEvent(vst3::Event& e) override
    {
        events.push_back(e);
        return vst3::kResultOk;
    }
    void noteOn(int32_t offset, int16_t pitch, float velocity, int32_t noteId = -1);
    void noteOff(int32_t offset, int16_t pitch, int32_t noteId = -1);
    std::vector<vst3::Event> events;

protected:
    const vst3::Tuid& iidOf() const override { return vst3::kIidIEventList; }
};

} // namespace testhost
