using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using CustomerGrains.Contracts.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Validation;

/// <summary>Reads a JSON request body with a hard size limit, turning every client mistake into a problem.</summary>
public static class JsonBody
{
    public const int MaxDepth = 16;

    /// <summary>A body that must be one JSON object; <paramref name="shape"/> names its fields for the problem otherwise.</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadObjectAsync(HttpRequest request, int maxBytes, string shape, CancellationToken ct)
    {
        var (document, problem) = await ReadAsync(request, maxBytes, ct);
        if (document is not null && document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, Problems.BadRequest($"the body must be a JSON object {shape}"));
        }

        return (document, problem);
    }

    /// <summary>
    /// The body as JSON, decoded by its <c>Content-Encoding</c> (gzip, deflate), at most <paramref name="maxBytes"/>
    /// once decoded. <paramref name="anyMediaType"/> parses it whatever its <c>Content-Type</c> says: tracking clients
    /// label JSON <c>text/plain</c> (to avoid a CORS preflight) or <c>application/x-www-form-urlencoded</c>.
    /// </summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct, bool anyMediaType = false)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.TooLarge($"the body is larger than {maxBytes} bytes"));
        }

        if (!anyMediaType && request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.UnsupportedMediaType());
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is not ("" or "identity" or "gzip" or "x-gzip" or "deflate"))
        {
            return (null, TypedResults.Problem("only gzip and deflate request bodies are accepted", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        // The limit applies to the decompressed body, so a small gzip bomb is still too large.
        await using var decoded = encoding switch
        {
            "gzip" or "x-gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => (Stream?)null,
        };
        var body = decoded ?? request.Body;

        // Read into a pooled buffer, sized from Content-Length when there is one: a 500-event body is ~75 KB,
        // and growing a MemoryStream to it allocated twice that per request, the last copy on the large
        // object heap (whose budget triggers full collections). The document gets its own pooled copy.
        var buffer = ArrayPool<byte>.Shared.Rent(decoded is null && request.ContentLength is > 0 and var n ? (int)Math.Min(n + 1, maxBytes + 1L) : 16 * 1024);
        try
        {
            var length = 0;
            int read;
            while ((read = await ReadAsync(body, buffer.AsMemory(length), ct)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    return (null, Problems.TooLarge($"the body is larger than {maxBytes} bytes"));
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            if (read < 0)
            {
                return (null, Problems.BadRequest($"the body is not valid {encoding}"));
            }

            if (length == 0)
            {
                return (null, Problems.BadRequest("the body is empty; send JSON"));
            }

            return Parse(buffer.AsSpan(0, length), new MemoryStream(buffer, 0, length, writable: false));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (JsonDocument? Document, ProblemHttpResult? Problem) Parse(ReadOnlySpan<byte> json, Stream copy)
    {
        try
        {
            var document = JsonDocument.Parse(copy, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            if (JsonText.UndecodableString(json) is { } at)
            {
                document.Dispose();
                return (null, Problems.BadRequest($"the body is not valid UTF-8 JSON text: the string at byte {at} has invalid UTF-8 or escapes half of a UTF-16 surrogate pair (\\uD800–\\uDFFF alone)"));
            }

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

    /// <summary>Bytes read, or -1 when a compressed body is corrupt.</summary>
    private static async Task<int> ReadAsync(Stream body, Memory<byte> into, CancellationToken ct)
    {
        try
        {
            return await body.ReadAsync(into, ct);
        }
        catch (InvalidDataException)
        {
            return -1;
        }
    }

    private static string Describe(JsonException error) =>
        error.LineNumber is { } line ? $"line {line + 1}, byte {error.BytePositionInLine + 1}" : "malformed";

    /// <summary>An "unknown field" error for each field of <paramref name="root"/> outside <paramref name="known"/>, in the body's order.</summary>
    public static List<FieldError> UnknownFields(JsonElement root, params string[] known) =>
        [.. root.EnumerateObject().Where(p => !known.Contains(p.Name)).Select(p => new FieldError(null, p.Name, "unknown field"))];
}
