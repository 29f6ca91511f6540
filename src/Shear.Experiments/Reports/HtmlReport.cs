using System.Net;
using System.Text;

namespace Shear.Experiments.Reports;

/// <summary>
/// Renders the self-contained <c>index.html</c>: inline CSS, relative links to the figure files, no external resources,
/// and a small inline script that checks every image loaded (see <see cref="ImageCheckScript"/>).
/// </summary>
internal static class HtmlReport
{
    /// <summary>Id of the element the image check writes its verdict into: <c>ok N</c> or <c>missing: a.png b.png</c>.</summary>
    public const string ImageCheckId = "image-check";

    /// <summary>
    /// After the page has loaded, writes <c>ok N</c> (N images, all decoded) or <c>missing: …</c> (the sources that did not
    /// load) into the element with id <see cref="ImageCheckId"/>, so that a headless browser's DOM dump tells a test, and the
    /// page tells a reader, whether any figure is broken.
    /// </summary>
    public const string ImageCheckScript = """
        window.addEventListener('load', function () {
          var missing = [], images = document.images;
          for (var i = 0; i < images.length; i++) {
            if (!images[i].complete || images[i].naturalWidth === 0) { missing.push(images[i].getAttribute('src')); }
          }
          document.getElementById('image-check').textContent =
            missing.length ? 'missing: ' + missing.join(' ') : 'ok ' + images.length;
        });
        """;

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 1200px;
          padding: 1.5rem; color: #1d2330; line-height: 1.45; }
        h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #d8dde6; padding-bottom: 0.2rem; margin-top: 2.5rem; }
        nav a { margin-right: 1rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid #d8dde6; padding: 0.3rem 0.7rem; text-align: right; }
        th { background: #f1f3f7; } td:first-child, th:first-child { text-align: left; }
        tr.dense td { background: #fafafa; font-style: italic; }
        .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(640px, 1fr)); gap: 1.5rem; }
        figure { margin: 0; } figure img { max-width: 100%; height: auto; border: 1px solid #e3e6ec; }
        figcaption { font-size: 0.9rem; color: #4a5263; }
        footer { margin-top: 3rem; border-top: 1px solid #d8dde6; font-size: 0.85rem; color: #4a5263; }
        """;

    /// <summary>The HTML text.</summary>
    public static string Render(ReportData data)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\">").AppendLine("<head>")
            .AppendLine("<meta charset=\"utf-8\">")
            .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(data.Title)).AppendLine("</title>")
            .Append("<style>").Append(Css).AppendLine("</style>").AppendLine("</head>").AppendLine("<body>");
        html.Append("<header><h1>").Append(E(data.Title)).AppendLine("</h1>").Append("<p>").Append(E(data.Summary)).AppendLine("</p>");
        html.Append("<nav>").AppendJoin("", data.Models.Select(m => $"<a href=\"#{Anchor(m)}\">{E(m)}</a>")).AppendLine("</nav></header>");
        foreach (string model in data.Models)
        {
            AppendModel(html, data, model);
        }
        AppendFooter(html, data);
        html.Append("<script>").Append(ImageCheckScript).AppendLine("</script>").AppendLine("</body>").AppendLine("</html>");
        return html.ToString();
    }

    private static void AppendModel(StringBuilder html, ReportData data, string model)
    {
        html.Append("<section id=\"").Append(Anchor(model)).Append("\"><h2>").Append(E(model)).AppendLine("</h2>");
        html.Append("<p>").Append(E(data.Context(model))).AppendLine("</p>");
        html.Append("<table><thead><tr>").AppendJoin("", ReportData.Headings.Select(h => $"<th>{E(h)}</th>")).AppendLine("</tr></thead><tbody>");
        foreach (var row in data.RowsOf(model))
        {
            html.Append(row.IsDense ? "<tr class=\"dense\">" : "<tr>")
                .AppendJoin("", data.Cells(row).Select(c => $"<td>{E(c)}</td>")).AppendLine("</tr>");
        }
        html.AppendLine("</tbody></table>").AppendLine("<div class=\"figures\">");
        foreach (var figure in data.FiguresOf(model))
        {
            html.Append("<figure><a href=\"").Append(figure.Svg).Append("\"><img src=\"").Append(figure.Png).Append("\" alt=\"")
                .Append(E(figure.Caption)).Append("\" width=\"").Append(figure.Width).Append("\" height=\"").Append(figure.Height)
                .Append("\"></a><figcaption>").Append(E(figure.Caption)).Append(" <a href=\"").Append(figure.Svg)
                .AppendLine("\">SVG</a></figcaption></figure>");
        }
        html.AppendLine("</div></section>");
    }

    private static void AppendFooter(StringBuilder html, ReportData data)
    {
        html.AppendLine("<footer><h2>Environment</h2><ul>");
        foreach (string line in data.Environments)
        {
            html.Append("<li>").Append(E(line)).AppendLine("</li>");
        }
        html.Append("</ul><p>Images: <span id=\"").Append(ImageCheckId).AppendLine("\">not checked (scripts disabled)</span></p></footer>");
    }

    private static string Anchor(string model) => "model-" + ReportFormat.Slug(model);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
