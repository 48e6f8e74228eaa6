using System.Diagnostics;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// The master and mix reports rendered by a real browser engine (headless Chromium, installed by
/// <c>scripts/setup.sh --for test</c> from <c>scripts/test-packages.txt</c>): it must produce a
/// full-size screenshot that is neither blank nor trivial.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HtmlChromiumTests
{
    private const int Width = 1200, Height = 2400;

    [Fact]
    public Task Master_report_renders_in_headless_chromium() => AssertRenders(HtmlReportTests.MasterRun.Value.Html, "html-chromium");

    [Fact]
    public Task Mix_report_with_master_renders_in_headless_chromium() => AssertRenders(HtmlMixReportTests.MasteredRun.Value.Html, "html-chromium-mix");

    /// <summary>Renders <paramref name="html"/> to a screenshot and checks it is a real, full page.</summary>
    internal static async Task AssertRenders(string html, string folderName)
    {
        string chromium = FindChromium()
            ?? throw new InvalidOperationException("chromium is not installed: headless rendering of the HTML report cannot be tested. Install it with 'apt-get install -y chromium' (scripts/setup.sh --for test does, from scripts/test-packages.txt).");
        string folder = TestFolder.NewFolder(folderName);
        string png = Path.Combine(folder, "report.png");

        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={Path.Combine(folder, "profile")}",
            $"--screenshot={png}", $"--window-size={Width},{Height}", new Uri(html).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 120 s");
        }

        string log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}:\n{log}");
        Assert.True(File.Exists(png), $"no screenshot written:\n{log}");

        byte[] file = await File.ReadAllBytesAsync(png);
        Assert.Equal((Width, Height), HtmlPngImage.ReadSize(file));
        Assert.True(file.Length > 40_000, $"a {file.Length}-byte screenshot is too small to hold the report");

        // Not blank: the page has text, plots and tables, so brightness varies and a real share of
        // pixels is not background; but it is a light page, not a failure screen.
        HtmlPngImage image = HtmlPngImage.Decode(file);
        double sum = 0, sumSquares = 0;
        int dark = 0, samples = 0;
        for (int y = 0; y < image.Height; y += 2)
        {
            for (int x = 0; x < image.Width; x += 2)
            {
                double l = image.Luma(x, y);
                sum += l;
                sumSquares += l * l;
                dark += l < 200 ? 1 : 0;
                samples++;
            }
        }

        double mean = sum / samples;
        double variance = (sumSquares / samples) - (mean * mean);
        double darkShare = (double)dark / samples;
        Assert.True(variance > 300, $"luma variance {variance:0} (mean {mean:0}): the screenshot looks blank");
        Assert.InRange(darkShare, 0.02, 0.5);
        Assert.InRange(mean, 150, 255);

        // Content reaches down the page: the lowest quarter is not empty either (the plots continue).
        int darkLow = 0;
        for (int y = Height * 3 / 4; y < Height; y += 2)
        {
            for (int x = 0; x < Width; x += 2)
            {
                darkLow += image.Luma(x, y) < 200 ? 1 : 0;
            }
        }

        Assert.True(darkLow > 2000, $"only {darkLow} dark pixels in the lowest quarter");
    }

    private static string? FindChromium()
    {
        foreach (string name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
