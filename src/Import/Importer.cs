using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Contracts.Responses;
using CustomerGrains.Contracts.Validation;

namespace CustomerGrains.Import;

/// <summary>
/// Streams a file of events into the Api in batches, a few in flight, validating each batch locally with
/// the Api's own rules (the shared contract) first. It stops at the first bad line: nothing from that line's batch or after
/// it is sent, and the checkpoint stays at the end of the last acknowledged batch, so a re-run after
/// fixing the line resumes there. Re-importing acknowledged lines is harmless (event ids dedupe).
/// <paramref name="progress"/>, when given, hears how far the file is read (a few times a second, and once at the end);
/// drawing it is the caller's (the CLI draws a bar on a terminal).
/// </summary>
public sealed class Importer(ImportOptions options, IProgress<ImportProgress>? progress = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<ImportResult> RunAsync(CancellationToken ct = default)
    {
        var checkpoint = Checkpoint.Load(options.CheckpointFile);
        using var reader = new LineReader(options);
        reader.Seek(checkpoint.Offset, checkpoint.Line);
        using var http = new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);

        var inFlight = new Queue<(Task<HttpResponseMessage> Response, Checkpoint End, long FirstLine)>();
        long accepted = 0, duplicates = 0, lines = 0;
        var clock = Stopwatch.StartNew();
        var lastDraw = TimeSpan.Zero;

        // Once the Api refused a batch, later batches (already sent) must not move the checkpoint past it.
        var refused = false;
        int? refusedStatus = null;
        async Task<string?> CompleteOldestAsync()
        {
            var (response, end, firstLine) = inFlight.Dequeue();
            using var answer = await response;
            if (!answer.IsSuccessStatusCode)
            {
                refused = true;
                refusedStatus ??= (int)answer.StatusCode;
                return $"the Api refused the batch starting at line {firstLine}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(ct)}";
            }

            var counts = (await answer.Content.ReadFromJsonAsync<EventsAccepted>(JsonSerializerOptions.Web, ct))!;
            accepted += counts.Accepted;
            duplicates += counts.Duplicates;
            if (!refused)
            {
                end.Save(options.CheckpointFile);
            }

            return null;
        }

        string? failure = null;
        long? failedLine = null;
        while (failure is null)
        {
            var (body, lineNumbers, error) = ReadBatch(reader);
            if (error is { } bad)
            {
                (failedLine, failure) = bad;
                break;
            }

            if (lineNumbers.Count == 0)
            {
                break;
            }

            lines += lineNumbers.Count;
            var content = new StringContent(body, Encoding.UTF8, "application/json");
            inFlight.Enqueue((http.PostAsync($"/v1/stores/{options.Store}/events", content, ct), new Checkpoint(reader.Position, reader.LineNumber), lineNumbers[0]));
            if (inFlight.Count >= options.InFlight)
            {
                failure = await CompleteOldestAsync();
            }

            if (progress is not null && clock.Elapsed - lastDraw > TimeSpan.FromMilliseconds(250))
            {
                lastDraw = clock.Elapsed;
                progress.Report(new ImportProgress(reader.Position, reader.Length, reader.LineNumber));
            }
        }

        // Let every batch already sent finish, so the checkpoint is exact.
        while (inFlight.Count > 0)
        {
            var error = await CompleteOldestAsync();
            failure ??= error;
        }

        progress?.Report(new ImportProgress(reader.Position, reader.Length, reader.LineNumber));

        return new ImportResult(accepted, duplicates, lines, failedLine, failure, refusedStatus);
    }

    /// <summary>The next batch as a JSON array, checked with the Api's validation; or the first bad line.</summary>
    private (string Body, List<long> LineNumbers, (long Line, string Reason)? Error) ReadBatch(LineReader reader)
    {
        var body = new StringBuilder("[");
        var lineNumbers = new List<long>(options.BatchSize);
        while (lineNumbers.Count < options.BatchSize && reader.Next() is { } line)
        {
            body.Append(lineNumbers.Count > 0 ? "," : "").Append(line);
            lineNumbers.Add(reader.LineNumber);

            // Valid JSON syntax that is no text ("\ud800") would throw from the validation below.
            if (JsonText.UndecodableString(Encoding.UTF8.GetBytes(line)) is not null)
            {
                return ("", lineNumbers, (reader.LineNumber, $"line {reader.LineNumber}: a string escapes half of a UTF-16 surrogate pair"));
            }
        }

        body.Append(']');
        if (lineNumbers.Count == 0)
        {
            return ("", lineNumbers, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToString());
            var (_, errors) = EventParser.ParseBatch(document.RootElement, _time.GetUtcNow());
            if (errors.FirstOrDefault() is { Index: { } index } first)
            {
                return ("", lineNumbers, (lineNumbers[index], $"line {lineNumbers[index]}: {first.Field} {first.Reason}"));
            }
        }
        catch (JsonException)
        {
            var bad = FirstMalformed(body.ToString(), lineNumbers);
            return ("", lineNumbers, (bad, $"line {bad}: not a JSON object"));
        }

        return (body.ToString(), lineNumbers, null);
    }

    private static long FirstMalformed(string body, List<long> lineNumbers)
    {
        // Re-parse element by element: the reader stops at the first element it cannot read.
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body));
        var index = -1;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                index++;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return lineNumbers[Math.Clamp(index, 0, lineNumbers.Count - 1)];
        }

        return lineNumbers[0];
    }
}
