using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;

namespace MixMate.Cli.Batch;

/// <summary>
/// <c>mixmate batch master|analyze|check INPUT... --out DIR</c>: a whole catalogue in one process,
/// <c>--jobs</c> inputs at a time, each through the single-file command's own code; a results
/// line per input in <c>DIR/results.jsonl</c>; bad inputs reported and skipped; <c>--shard</c>
/// to spread one batch over many machines, <c>--resume</c> to continue one.
/// </summary>
internal static class BatchCommand
{
    /// <summary>Exit code of a batch stopped by Ctrl-C (as the signal handler's).</summary>
    private const int Interrupted = 130;

    private const string Help = """
        Usage: mixmate batch master|analyze|check INPUT... --out DIR [command options]
                             [--manifest FILE.jsonl] [--jobs N] [--shard I/N] [--resume]
                             [--html FILE.html] [--force] [--quiet]

        Runs one command over many files in one process. INPUT is a file or a folder (its audio
        files, found recursively, hidden ones and DIR skipped); --manifest adds one input per line:
          {"input": "a.wav", "output": "a-master.flac", "target": "apple", "eq": "off"}
        (input relative to the manifest's folder, output relative to DIR; any option below in
        camelCase — target, lufs, tp, eq, amount, bitDepth, format, sampleRate, compressor, profile).

        Writes, for each input NAME.EXT:
          master   DIR/NAME.wav (or the --format's extension) and DIR/NAME.json (its report)
          analyze  DIR/NAME.json (as analyze --json)
          check    DIR/NAME.json (as check --json)
        and one line per input in DIR/results.jsonl: input, sha256, command, status (ok or failed),
        output, report, options, loudness (and inputLoudness, gainDb, limiterMaxDb for master),
        playback gain per platform, problems, warnings, error. A bad input is reported on stderr
        (one line naming it) and skipped; the others go on. Each input is processed on one thread.

        Command options: those of 'mixmate master' (--target, --lufs, --tp, --eq, --amount,
        --bit-depth, --format, --sample-rate, --compressor) or of 'mixmate check' (--profile).

        Options:
          --out DIR, -o DIR  where the outputs go (created if missing; inputs inside it are skipped)
          --manifest FILE    JSON lines, one input each (see above)
          --jobs N           inputs processed at once, each on one thread (default: the number of cores)
          --shard I/N        process only part I of N: inputs whose content hash (SHA-256) modulo N
                             is I; I may be 0…N-1 or 1…N (N counts as 0). N runs over the same
                             inputs into one DIR leave exactly the files of one run (docs/batch.md)
          --resume           skip inputs whose output and results line exist for the same content
                             and options
          --html FILE        a catalogue page: one sortable table of every input in results.jsonl
                             (loudness, LRA, true peak, problems, playback gain per platform)
          --force            overwrite outputs that exist
          --quiet            print only failures and the summary

        Progress: a line per finished input; on a terminal also a bar with the time left. Ctrl-C
        once stops starting inputs and finishes those in flight; twice abandons them (nothing
        half-written is left; run again with --resume). Exit codes: 0 all done, 2 an input or
        argument was bad, 1 internal error, 130 interrupted.
        """;

    /// <summary>[main-thread] Runs the command on the process's standard streams.</summary>
    public static int Run(IReadOnlyList<string> args) => Run(args, Console.Out, Console.Error, BatchProgress.TerminalWanted);

    /// <summary>[main-thread] Runs the command; argument errors are thrown as <see cref="CliException"/>.</summary>
    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, bool terminal)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            stdout.WriteLine(Help);
            return args.Count == 0 ? ExitCodes.BadInput : ExitCodes.Ok;
        }

        BatchVerb verb = args[0] switch
        {
            "master" => BatchVerb.Master,
            "analyze" => BatchVerb.Analyze,
            "check" => BatchVerb.Check,
            _ => throw new CliException($"batch: the first argument is the command: master, analyze or check (got '{args[0]}')"),
        };
        string name = "batch " + args[0];
        var reader = new ArgReader(name, args.Skip(1));
        if (reader.Flag("-h", "--help"))
        {
            stdout.WriteLine(Help);
            return ExitCodes.Ok;
        }

        string? outDir = reader.Option("--out", "-o");
        string? manifest = reader.Option("--manifest");
        double? jobsOption = reader.Number("--jobs", 1, 1024);
        string? shardText = reader.Option("--shard");
        bool resume = reader.Flag("--resume");
        bool force = reader.Flag("--force");
        bool quiet = reader.Flag("--quiet", "-q");
        string? htmlPath = reader.Option("--html");
        RawOptions options = RawOptions.FromArgs(reader, verb);
        IReadOnlyList<string> inputs = reader.Positionals();
        if (outDir is null)
        {
            throw new CliException($"{name}: --out DIR is required");
        }

        if (inputs.Count == 0 && manifest is null)
        {
            throw new CliException($"{name}: no inputs (files, folders or --manifest FILE.jsonl)");
        }

        if (jobsOption is double j && j != Math.Floor(j))
        {
            throw new CliException($"{name}: --jobs must be a whole number");
        }

        int jobs = jobsOption is double n ? (int)n : Environment.ProcessorCount;
        Shard shard = shardText is null ? Shard.All : Shard.Parse(shardText);
        PrepareFolder(outDir);

        List<BatchItem> planned = BatchInputs.Plan(verb, inputs, manifest, outDir, options);
        if (htmlPath is not null)
        {
            AtomicFile.CheckDestination(htmlPath, planned.Select(i => i.Input), force);
        }

        // Shards may share DIR with processes on other machines: leave other temporaries alone.
        AtomicFile.SweepsStaleTemporaries = shard.Count == 1;

        // Hash every input (the shard is chosen by content, so every shard hashes them all).
        WorkerPool.Run(planned.Count, jobs, i => Hash(planned[i]), () => false);
        var mine = planned.Where(item => shard.Takes(item.Hash ?? ContentHash.OfName(item.Input))).ToList();

        var log = new ResultsLog(outDir);
        int skipped = 0;
        IReadOnlyDictionary<string, BatchResult> before = log.ReadLatest();
        if (resume)
        {
            int considered = mine.Count;
            mine = [.. mine.Where(item => !AlreadyDone(item, before, verb, outDir))];
            skipped = considered - mine.Count;
        }

        int stop = 0;
        int failed = 0;
        int internalErrors = 0;
        int finished = 0;
        using (var progress = new BatchProgress(name, mine.Count, mine.Sum(i => i.Bytes), stdout, stderr, terminal, quiet))
        using (AtomicFile.WindDownOnFirstInterrupt(() =>
        {
            Volatile.Write(ref stop, 1);
            progress.Note("mixmate: interrupted: finishing the inputs in flight, starting no more (Ctrl-C again abandons them; --resume continues)");
        }))
        {
            if (skipped > 0)
            {
                progress.Note(string.Create(CultureInfo.InvariantCulture, $"mixmate: {name}: {skipped} input(s) already done with the same content and options (--resume), skipped"));
            }

            WorkerPool.Run(mine.Count, jobs, i =>
            {
                BatchItem item = mine[i];
                var clock = Stopwatch.StartNew();
                (BatchResult result, bool internalError, bool untouched) = BatchWork.Run(verb, item, outDir, force);

                // An output in the way stops the input before anything is written: the files there
                // are still those the earlier line describes, so that line stays.
                if (!(untouched && before.TryGetValue(item.Input, out BatchResult? earlier) && earlier.Status == BatchResult.Ok))
                {
                    log.Append(result);
                }

                if (result.Status != BatchResult.Ok)
                {
                    Interlocked.Increment(ref failed);
                }

                if (internalError)
                {
                    Interlocked.Increment(ref internalErrors);
                }

                Interlocked.Increment(ref finished);
                progress.Finished(item, result, clock.Elapsed);
            }, () => Volatile.Read(ref stop) != 0);
        }

        IReadOnlyList<BatchResult> all = log.Normalize();
        if (htmlPath is not null && all.Count > 0)
        {
            Html.CatalogueHtmlReport.Build(all, verb, outDir).Save(htmlPath);
        }

        bool interrupted = Volatile.Read(ref stop) != 0;
        string shardNote = shard.Count == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (shard {shard.Index}/{shard.Count}: {mine.Count + skipped} of {planned.Count} inputs)");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {finished - failed} done, {failed} failed, {skipped} skipped{(interrupted ? $", {mine.Count - finished} not started (interrupted)" : string.Empty)}{shardNote}; results in {log.FilePath}"));
        return interrupted ? Interrupted : internalErrors > 0 ? ExitCodes.InternalError : failed > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    private static void PrepareFolder(string outDir)
    {
        (PosixFiles.Kind kind, _, _) = PosixFiles.Identify(outDir);
        if (kind == PosixFiles.Kind.Directory)
        {
            return;
        }

        if (kind != PosixFiles.Kind.Missing)
        {
            throw CliException.ForFile(outDir, "is not a folder");
        }

        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.ForFile(outDir, $"cannot create the folder: {e.Message}");
        }
    }

    private static void Hash(BatchItem item)
    {
        if (item.Problem is not null)
        {
            return;
        }

        try
        {
            item.Hash = ContentHash.OfFile(item.Input);
            item.Bytes = new FileInfo(item.Input).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Reported when the input's turn comes (its reader says why).
        }
    }

    private static bool AlreadyDone(BatchItem item, IReadOnlyDictionary<string, BatchResult> before, BatchVerb verb, string outDir)
    {
        if (item.Hash is null || !before.TryGetValue(item.Input, out BatchResult? last))
        {
            return false;
        }

        return last.Status == BatchResult.Ok
            && last.Command == BatchWork.Name(verb)
            && last.Sha256 == ContentHash.Hex(item.Hash)
            && last.Output == item.Output
            && Same(last.Options, item.Options)
            && File.Exists(Path.Combine(outDir, item.Output))
            && (item.Report is null || File.Exists(Path.Combine(outDir, item.Report)));
    }

    private static bool Same(BatchOptions a, BatchOptions b) =>
        JsonSerializer.Serialize(a, BatchResultJsonContext.Default.BatchOptions) == JsonSerializer.Serialize(b, BatchResultJsonContext.Default.BatchOptions);
}
