using MixMate.Plugin.Hosting;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Parameters;
using MixMate.Plugin.State;
using MixMate.Plugin.Tone;
using Xunit;

namespace MixMate.Plugin.Tests;

public sealed class StateAndParameterTests
{
    // Shipped IDs: a session stores these. This table may only grow.
    public static TheoryData<uint, string> MasteringIds => new()
    {
        { 0, "Bypass" }, { 1, "Mode" }, { 2, "Target" }, { 3, "Target Loudness (custom)" }, { 4, "Ceiling (custom)" },
        { 5, "Input Gain" }, { 6, "Limiter" }, { 7, "Learn" }, { 8, "Amount" }, { 11, "Compare (equal loudness)" }, { 214, "Compare Gain" },
        { 100, "EQ 1 On" }, { 101, "EQ 1 Frequency" }, { 102, "EQ 1 Gain" }, { 103, "EQ 1 Q" }, { 104, "EQ 1 Type" },
        { 150, "EQ 6 On" }, { 154, "EQ 6 Type" },
        { 200, "Momentary Loudness" }, { 201, "Short-term Loudness" }, { 202, "Integrated Loudness" },
        { 203, "Loudness Range" }, { 204, "True Peak" }, { 205, "Gain Reduction" },
    };

    [Theory]
    [MemberData(nameof(MasteringIds))]
    public void Mastering_parameter_ids_are_stable(uint id, string title)
    {
        ParameterSet set = MasteringParameters.Create();
        int index = set.IndexOf(id);
        Assert.True(index >= 0, $"id {id} missing");
        Assert.Equal(title, set[index].Title);
    }

    [Fact]
    public void Tone_parameter_ids_are_stable()
    {
        ParameterSet set = ToneParameters.Create();
        Assert.Equal("Signal", set[set.IndexOf(0)].Title);
        Assert.Equal(["sine", "pink noise", "white noise", "log sweep"], set[set.IndexOf(0)].Choices);
        Assert.Equal("Output Trim", set[set.IndexOf(4)].Title);
    }

    [Fact]
    public void Target_list_order_is_stable()
    {
        Assert.Equal(
            ["spotify", "apple", "youtube", "tidal", "amazon", "deezer", "ebu-r128", "atsc-a85", "podcast", "custom"],
            LoudnessTargets.Names);
        Assert.Equal(-23, LoudnessTargets.Lufs(6, 0));
        Assert.Equal(-24, LoudnessTargets.Lufs(7, 0));
        Assert.Equal(-2, LoudnessTargets.CeilingDbtp(7, 0));
        Assert.Equal(-11.5, LoudnessTargets.Lufs(LoudnessTargets.Custom, -11.5));
    }

    [Fact]
    public void Every_parameter_satisfies_the_validator_rules()
    {
        foreach (ParameterSet set in new[] { MasteringParameters.Create(), ToneParameters.Create() })
        {
            int bypasses = 0;
            for (int i = 0; i < set.Count; i++)
            {
                ParameterDefinition d = set[i];
                Assert.False(string.IsNullOrWhiteSpace(d.Title));
                Assert.InRange(d.DefaultNormalized, 0.0, 1.0);
                bool readOnly = (d.Flags & 2) != 0;
                bool automatable = (d.Flags & 1) != 0;
                Assert.False(readOnly && automatable, d.Title);
                bypasses += d.IsBypass ? 1 : 0;
            }

            Assert.True(bypasses <= 1);
        }
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.099, 0)]
    [InlineData(0.1, 1)]
    [InlineData(0.5, 5)]
    [InlineData(0.95, 9)]
    [InlineData(1.0, 9)]
    public void List_parameters_use_the_vst3_discrete_mapping(double normalized, int index)
    {
        ParameterDefinition target = MasteringParameters.Create()[2];
        Assert.Equal(index, target.ToPlain(normalized));
        Assert.Equal(index / 9.0, target.ToNormalized(index), 12);
    }

    [Fact]
    public void Logarithmic_frequency_round_trips_and_formats()
    {
        ParameterSet set = MasteringParameters.Create();
        ParameterDefinition f = set[set.IndexOf(MasteringParameters.EqId(0, MasteringParameters.EqFrequency))];
        Assert.Equal(20.0, f.ToPlain(0), 9);
        Assert.Equal(20000.0, f.ToPlain(1), 6);
        Assert.Equal(Math.Sqrt(20.0 * 20000.0), f.ToPlain(0.5), 6);
        Assert.True(f.TryParse("1000 Hz", out double n));
        Assert.Equal(1000.0, f.ToPlain(n), 6);
        Assert.Equal("1000", f.Format(n));
        Assert.False(f.TryParse("loud", out _));
    }

    [Fact]
    public void State_round_trip_is_byte_identical()
    {
        var a = new MasteringPlugin();
        a.Setup(48000, 256, 2, 2);
        LoadValues(a, (MasteringParameters.InputGainDb, 0.123456789), (MasteringParameters.Bypass, 1.0));
        byte[] first = a.SaveState();
        var b = new MasteringPlugin();
        Assert.True(b.LoadState(first));
        Assert.Equal(first, b.SaveState());
        Assert.Equal(1.0, b.GetControllerValue(b.Parameters.IndexOf(MasteringParameters.Bypass)));
    }

    // pluginval's "Plugin state restoration" at strictness 10: a host edit followed by a save with
    // no processed block in between (transport stopped) must save the edited value.
    [Fact]
    public void A_host_edit_is_saved_even_before_any_block_is_processed()
    {
        var cases = new (PluginInstance Plugin, uint Id, int Inputs)[]
        {
            (new MasteringPlugin(), MasteringParameters.Mode, 2),
            (new TonePlugin(), ToneParameters.Signal, 0),
        };
        foreach ((PluginInstance plugin, uint id, int inputs) in cases)
        {
            plugin.Setup(48000, 256, inputs, 2);
            int index = plugin.Parameters.IndexOf(id);
            double original = plugin.GetControllerValue(index);
            const double Edited = 0.475854;

            plugin.SetControllerValue(index, Edited);
            byte[] state = plugin.SaveState();
            plugin.SetControllerValue(index, original);
            Assert.True(plugin.LoadState(state));

            // pluginval's tolerance: the restored value is within 0.1 of what the host set.
            Assert.InRange(plugin.GetControllerValue(index), Edited - 0.1, Edited + 0.1);
            Assert.InRange(plugin.GetProcessorValue(index), Edited - 0.1, Edited + 0.1);
        }
    }

    [Fact]
    public void Corrupt_foreign_or_newer_state_loads_defaults()
    {
        var fresh = new MasteringPlugin();
        byte[] defaults = fresh.SaveState();
        var a = new MasteringPlugin();
        LoadValues(a, (MasteringParameters.InputGainDb, 0.9));
        byte[] good = a.SaveState();

        byte[] flipped = (byte[])good.Clone();
        flipped[20] ^= 1;
        byte[] newer = (byte[])good.Clone();
        newer[4] = StateCodec.Version + 1;
        byte[] tone = new TonePlugin().SaveState();
        foreach (byte[] bad in new[] { flipped, newer, good[..^1], tone, [], new byte[] { 1, 2, 3 } })
        {
            var b = new MasteringPlugin();
            LoadValues(b, (MasteringParameters.InputGainDb, 0.7));
            Assert.False(b.LoadState(bad));
            Assert.Equal(defaults, b.SaveState());
        }
    }

    [Fact]
    public void Unknown_ids_in_a_state_are_skipped_and_missing_ones_default()
    {
        var small = new ParameterSet(
            ParameterDefinition.Toggle(0, "Bypass", "Byp", false, isBypass: true),
            ParameterDefinition.Continuous(999, "From the future", "F", "", 0, 1, 0.5));
        byte[] data = StateCodec.Write(0, small, [1.0, 0.25], new StateFields());
        ParameterSet mastering = MasteringParameters.Create();
        var values = new double[mastering.Count];
        Assert.True(StateCodec.Read(data, 0, mastering, values));
        Assert.Equal(1.0, values[mastering.IndexOf(0)]);
        Assert.Equal(mastering[mastering.IndexOf(5)].DefaultNormalized, values[mastering.IndexOf(5)]);
    }

    private static void LoadValues(MasteringPlugin plugin, params (uint Id, double Value)[] values)
    {
        // Values reach the processor the way a host sends them: a state holding them.
        ParameterSet set = plugin.Parameters;
        var normalized = new double[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            normalized[i] = set[i].DefaultNormalized;
        }

        foreach ((uint id, double v) in values)
        {
            normalized[set.IndexOf(id)] = v;
        }

        Assert.True(plugin.LoadState(StateCodec.Write(0, set, normalized, new StateFields())));
    }
}
