using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Validation;

/// <summary>Reads a JSON request body with a hard size limit, turning every client mistake into a problem.</summary>
public static class JsonBody
{
    public const int MaxDepth = 16;

    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.TooLarge($"the body is larger than {maxBytes} bytes"));
        }

        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.UnsupportedMediaType());
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem("only gzip request bodies are accepted", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        // The limit applies to the decompressed body, so a small gzip bomb is still too large.
        await using var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true)
            : null;
        var body = (Stream?)gzip ?? request.Body;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ReadAsync(body, chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, Problems.TooLarge($"the body is larger than {maxBytes} bytes"));
            }

            buffer.Write(chunk, 0, read);
        }

        if (read < 0)
        {
            return (null, Problems.BadRequest("the body is not valid gzip"));
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.BadRequest("the body is empty; send JSON"));
        }

        try
        {
            var document = JsonDocument.Parse(
                buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                new JsonDocumentOptions { MaxDepth = MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            return (document, null);
        }
        catch (JsonException error)
        {
            return (null, Problems.BadRequest($"the body is not valid JSON: {Describe(error)}"));
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 surfaces from the reader as an ArgumentException on some paths.
            return (null, Problems.BadRequest("the body is not valid UTF-8 JSON"));
        }
    }

    /// <summary>Bytes read, or -1 when a gzip body is corrupt.</summary>
    private static async Task<int> ReadAsync(Stream body, byte[] chunk, CancellationToken ct)
    {
        try
        {
            return await body.ReadAsync(chunk, ct);
        }
        catch (InvalidDataException)
        {
            return -1;
        }
    }

    private static string Describe(JsonException error) =>
        error.LineNumber is { } line ? $"line {line + 1}, byte {error.BytePositionInLine + 1}" : "malformed";
}
