namespace MixMate.Cli.Html;

/// <summary>The reports' style sheet: system fonts only (nothing is fetched), print rules so each
/// section stays on one page, colours from the Okabe–Ito palette (see <see cref="SeriesStyle"/>).
/// It contains neither &lt; nor &amp;, so it is valid XML text as well.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root { color-scheme: light; }
        body { margin: 0; background: #ffffff; color: #1b1b1b;
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 40px; }
        header.report { border-bottom: 3px solid #0072B2; padding-bottom: 12px; margin-bottom: 18px; }
        header.report .brand { color: #0072B2; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; font-size: 12px; }
        h1 { font-size: 25px; margin: 2px 0 6px; font-weight: 650; }
        h2 { font-size: 17px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid #dcdcdc; font-weight: 650; }
        h3 { font-size: 15px; margin: 16px 0 6px; }
        .files { color: #444; overflow-wrap: anywhere; }
        .files code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 13px; background: #f3f3f3; padding: 1px 5px; border-radius: 3px; }
        section { margin: 22px 0 26px; break-inside: avoid; page-break-inside: avoid; }
        article.file { border-top: 2px solid #e8e8e8; padding-top: 10px; margin-top: 24px; }
        .cards { display: flex; flex-wrap: wrap; gap: 10px; }
        .card { flex: 1 1 150px; border: 1px solid #dcdcdc; border-radius: 6px; padding: 8px 12px; background: #fafafa; }
        .card .label { color: #555; font-size: 12px; }
        .card .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .card .unit { font-size: 13px; color: #555; font-weight: 400; margin-left: 3px; }
        .card .sub { font-size: 12px; color: #555; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 4px 0; }
        th, td { padding: 4px 12px 4px 8px; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
        th { font-weight: 600; color: #333; background: #f5f5f5; }
        td.num, th.num { text-align: right; white-space: nowrap; }
        td.reason { color: #333; max-width: 560px; }
        tr.target td { color: #555; font-style: italic; }
        table.tracks { width: 100%; }
        table.tracks ul { margin: 0; padding-left: 16px; }
        table.tracks td.eq { white-space: nowrap; }
        table.tracks tr.reasons td { border-bottom: 1px solid #cfcfcf; padding-top: 0; }
        table.tracks tr:has(+ tr.reasons) td { border-bottom: none; }
        table.tracks td.reason { max-width: none; color: #444; }
        table.tracks td.role { white-space: nowrap; }
        table.tracks .muted { color: #777; }
        .good { color: #006e50; }
        .bad { color: #b34700; font-weight: 600; }
        .warnings { background: #fff6e5; border-left: 4px solid #E69F00; padding: 8px 14px; margin: 12px 0; }
        .warnings p { margin: 3px 0; }
        .caption { color: #555; font-size: 12.5px; margin: 6px 0 0; }
        svg.plot { display: block; width: 100%; height: auto; margin: 4px 0; }
        svg.plot .frame { fill: #fcfcfc; stroke: #b9b9b9; stroke-width: 1; }
        svg.plot .grid line { stroke: #e3e3e3; stroke-width: 1; }
        svg.plot .grid line.minor { stroke: #f1f1f1; }
        svg.plot .axis text, svg.plot .legend text { font-size: 12px; fill: #333333; }
        svg.plot .axis text.axis-title { fill: #555555; }
        svg.plot text.note { font-size: 11.5px; font-weight: 600; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }
        footer { color: #777; font-size: 12px; border-top: 1px solid #e3e3e3; margin-top: 28px; padding-top: 8px; }
        @media print {
          main { max-width: none; padding: 0; }
          body { font-size: 12px; }
          section, article.file { break-inside: avoid; page-break-inside: avoid; }
        }
        """;
}
