using System.Globalization;
using System.Net;
using System.Text;

namespace NetGen.Sample.Reporting;

/// <summary>
/// A self-contained HTML page that animates a decision boundary: each frame paints the probability of class 1 on a
/// grid (orange for class 0, blue for class 1, white at 0.5), the points on top, with play/pause and a slider.
/// Open it with <c>#last</c> (or <c>#frame=N</c>) to show one frame without playing.
/// </summary>
internal static class PlaygroundPage
{
    /// <summary>Builds the page.</summary>
    public static string Build(string title, Dataset<float> points, IReadOnlyList<Runs.BoundaryFrame> frames, int gridSize, double extent)
    {
        var data = new StringBuilder();
        data.Append(CultureInfo.InvariantCulture, $"{{\"grid\":{gridSize},\"extent\":{extent},\"points\":[");
        for (int i = 0; i < points.Count; i++)
        {
            var p = points.Features(i);
            data.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"[{p[0]:F3},{p[1]:F3},{points.Label(i)}]");
        }

        data.Append("],\"frames\":[");
        for (int f = 0; f < frames.Count; f++)
        {
            var frame = frames[f];

            // Probabilities as two-digit percentages (0-99) in one string: small, and exact enough to paint.
            var percent = new StringBuilder(frame.Probabilities.Length * 2);
            foreach (float probability in frame.Probabilities)
            {
                percent.Append(Math.Clamp((int)(probability * 100), 0, 99).ToString("D2", CultureInfo.InvariantCulture));
            }

            data.Append(f == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"epoch\":{frame.Epoch},\"loss\":{frame.Loss:F4},\"accuracy\":{frame.Accuracy:F4},\"p\":\"{percent}\"}}");
        }

        data.Append("]}");
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>NetGen playground: {{WebUtility.HtmlEncode(title)}}</title>
            <style>
              body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; margin: 20px 28px; color: #111827; background: #ffffff; }
              h1 { font-size: 20px; margin: 0 0 4px 0; }
              .sub { color: #4b5563; font-size: 13px; margin: 0 0 12px 0; }
              canvas { border: 1px solid #d1d5db; display: block; }
              .controls { display: flex; gap: 12px; align-items: center; margin-top: 10px; font-size: 14px; }
              #status { font-variant-numeric: tabular-nums; }
              input[type=range] { width: 240px; }
            </style>
            </head>
            <body>
            <h1>Decision boundary while training</h1>
            <p class="sub">{{WebUtility.HtmlEncode(title)}}</p>
            <canvas id="plane" width="512" height="512"></canvas>
            <div class="controls">
              <button id="play">pause</button>
              <input id="slider" type="range" min="0" value="0">
              <span id="status"></span>
            </div>
            <p class="sub">Background: the network's probability of class 1 (blue) against class 0 (orange); white is 0.5, the boundary. Points: the training data.</p>
            <script>
            const data = {{data}};
            const canvas = document.getElementById('plane');
            const context = canvas.getContext('2d');
            const slider = document.getElementById('slider');
            const button = document.getElementById('play');
            const status = document.getElementById('status');
            slider.max = data.frames.length - 1;
            const size = canvas.width, cell = size / data.grid;
            function color(p) {
              // Orange (class 0) through white to blue (class 1).
              const t = Math.abs(p - 0.5) * 2, to = p < 0.5 ? [245, 147, 34] : [8, 119, 189];
              return to.map(c => Math.round(255 + (c - 255) * t * 0.85));
            }
            function draw(index) {
              const frame = data.frames[index];
              for (let row = 0; row < data.grid; row++) {
                for (let column = 0; column < data.grid; column++) {
                  const k = 2 * (row * data.grid + column);
                  const [r, g, b] = color(parseInt(frame.p.substr(k, 2), 10) / 100 + 0.005);
                  context.fillStyle = `rgb(${r},${g},${b})`;
                  context.fillRect(Math.floor(column * cell), Math.floor(row * cell), Math.ceil(cell), Math.ceil(cell));
                }
              }
              for (const [x, y, label] of data.points) {
                const px = (x + data.extent) / (2 * data.extent) * size, py = (data.extent - y) / (2 * data.extent) * size;
                context.beginPath();
                context.arc(px, py, 4, 0, 2 * Math.PI);
                context.fillStyle = label === 1 ? '#0877bd' : '#f59322';
                context.fill();
                context.lineWidth = 1;
                context.strokeStyle = '#ffffff';
                context.stroke();
              }
              slider.value = index;
              status.textContent = `epoch ${frame.epoch} of ${data.frames[data.frames.length - 1].epoch} · loss ${frame.loss.toFixed(4)} · accuracy ${(frame.accuracy * 100).toFixed(1)}%`;
            }
            let current = 0, timer = null;
            function play() { timer = setInterval(() => { current = (current + 1) % data.frames.length; draw(current); }, 250); button.textContent = 'pause'; }
            function pause() { clearInterval(timer); timer = null; button.textContent = 'play'; }
            button.onclick = () => timer ? pause() : play();
            slider.oninput = () => { pause(); current = +slider.value; draw(current); };
            const match = /^#(last|frame=(\d+))$/.exec(location.hash);
            if (match) {
              current = match[1] === 'last' ? data.frames.length - 1 : Math.min(+match[2], data.frames.length - 1);
              draw(current);
              pause();
            } else {
              draw(0);
              play();
            }
            </script>
            </body>
            </html>

            """;
    }
}
