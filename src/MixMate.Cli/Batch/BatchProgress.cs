using System.Diagnostics;
using System.Globalization;

namespace MixMate.Cli.Batch;

/// <summary>
/// What a person watching a batch sees: a line per finished input (on stdout), and on a terminal an
/// overall bar with the estimated time left under them (on stderr, redrawn every second; the
/// estimate weighs inputs by size). Piped or in CI, only the plain lines. Failed inputs also get
/// their one error line on stderr.
/// </summary>
/// <remarks>[any-thread]: workers report as they finish.</remarks>
internal sealed class BatchProgress : IDisposable
{
    private readonly string _label;
    private readonly int _total;
    private readonly long _totalBytes;
    private readonly TextWriter _lines;
    private readonly TextWriter _errors;
    private readonly bool _bar;
    private readonly bool _quiet;
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private int _done;
    private long _doneBytes;
    private bool _barShown;

    /// <param name="label">"batch master".</param>
    /// <param name="total">Inputs this run processes.</param>
    /// <param name="totalBytes">Their size.</param>
    /// <param name="lines">Per-input lines (stdout).</param>
    /// <param name="errors">Error lines and the bar (stderr).</param>
    /// <param name="bar">Draw the bar (stderr is a terminal).</param>
    /// <param name="quiet">Print only failures.</param>
    public BatchProgress(string label, int total, long totalBytes, TextWriter lines, TextWriter errors, bool bar, bool quiet)
    {
        (_label, _total, _totalBytes, _lines, _errors, _bar, _quiet) = (label, total, Math.Max(1, totalBytes), lines, errors, bar, quiet);
        if (_bar && total > 0)
        {
            _timer = new Timer(_ => Redraw(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Whether the bar is drawn: stderr is a terminal and not CI.</summary>
    public static bool TerminalWanted => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>One input finished (or failed) after <paramref name="took"/>.</summary>
    public void Finished(BatchItem item, BatchResult result, TimeSpan took)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            _done++;
            _doneBytes += item.Bytes;
            ClearBar();
            string count = _total.ToString(CultureInfo.InvariantCulture);
            string position = $"[{_done.ToString(CultureInfo.InvariantCulture).PadLeft(count.Length)}/{count}]";
            if (result.Status == BatchResult.Ok)
            {
                if (!_quiet)
                {
                    _lines.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{position} ok      {item.Input}{Summary(result)}  ({took.TotalSeconds:0.0} s)"));
                }
            }
            else
            {
                if (!_quiet)
                {
                    _lines.WriteLine($"{position} failed  {item.Input}");
                }

                _lines.Flush();
                _errors.WriteLine($"mixmate: {result.Error}");
            }

            _lines.Flush();
            DrawBar();
        }
    }

    /// <summary>A line on stderr (interruption, notes), under the bar's control.</summary>
    public void Note(string line)
    {
        lock (_gate)
        {
            ClearBar();
            _errors.WriteLine(line);
            DrawBar();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            ClearBar();
        }
    }

    private static string Summary(BatchResult r)
    {
        static string L(double? v) => v is double d ? d.ToString("0.00", CultureInfo.InvariantCulture) : "-";
        if (r.Command == "check")
        {
            int errors = r.Problems.Count(p => p.Severity == "error");
            int warnings = r.Problems.Count(p => p.Severity == "warning");
            return string.Create(CultureInfo.InvariantCulture, $"  {errors} error(s), {warnings} warning(s), {r.Problems.Count - errors - warnings} note(s)");
        }

        BatchFigures? f = r.Loudness;
        string figures = $"  {L(f?.IntegratedLufs)} LUFS  LRA {L(f?.LoudnessRangeLu)} LU  {L(f?.TruePeakDbtp)} dBTP";
        return r.Command == "master" ? $" → {r.Output}{figures}" : figures;
    }

    private void Redraw()
    {
        lock (_gate)
        {
            DrawBar();
        }
    }

    private void DrawBar()
    {
        if (!_bar || _total == 0)
        {
            return;
        }

        const int Width = 30;
        double fraction = Math.Clamp((double)_doneBytes / _totalBytes, 0, 1);
        int filled = (int)(fraction * Width);
        string eta = "–";
        if (_doneBytes > 0 && _done < _total)
        {
            double left = _clock.Elapsed.TotalSeconds * (_totalBytes - _doneBytes) / _doneBytes;
            eta = Clock(left);
        }
        else if (_done == _total)
        {
            eta = "0:00";
        }

        _errors.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r\u001b[K{_label} [{new string('#', filled)}{new string('.', Width - filled)}] {_done}/{_total}  {fraction * 100,3:0}%  elapsed {Clock(_clock.Elapsed.TotalSeconds)}  ETA {eta}"));
        _errors.Flush();
        _barShown = true;
    }

    private void ClearBar()
    {
        if (_barShown)
        {
            _errors.Write("\r\u001b[K");
            _errors.Flush();
            _barShown = false;
        }
    }

    private static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
    }
}
