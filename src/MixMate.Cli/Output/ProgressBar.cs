namespace MixMate.Cli.Output;

/// <summary>
/// A one-line progress bar on stderr, drawn only when stderr is a terminal (so pipes, CI logs and
/// tests stay quiet). Thread-safe: parallel workers may report.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    private readonly string _label;
    private readonly bool _enabled;
    private readonly Lock _gate = new();
    private int _lastPermille = -1;

    public ProgressBar(string label, bool? enabled = null)
    {
        _label = label;
        _enabled = enabled ?? (!Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null);
    }

    /// <summary>[any thread] Reports progress as a fraction 0..1.</summary>
    public void Report(double fraction)
    {
        if (!_enabled)
        {
            return;
        }

        int permille = (int)Math.Clamp(fraction * 1000, 0, 1000);
        lock (_gate)
        {
            if (permille / 5 == _lastPermille / 5)
            {
                return;
            }

            _lastPermille = permille;
            const int Width = 30;
            int filled = permille * Width / 1000;
            Console.Error.Write($"\r{_label} [{new string('#', filled)}{new string('.', Width - filled)}] {permille / 10,3}%");
        }
    }

    public void Dispose()
    {
        if (_enabled && _lastPermille >= 0)
        {
            lock (_gate)
            {
                Console.Error.Write("\r" + new string(' ', _label.Length + 40) + "\r");
            }
        }
    }
}
