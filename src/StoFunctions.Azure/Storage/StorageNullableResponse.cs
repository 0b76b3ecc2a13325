using Azure;

namespace StoFunctions.Azure.Storage;

/// <summary>A <see cref="NullableResponse{T}"/> for "get if exists" calls: a value on 200, none on 404.</summary>
internal sealed class StorageNullableResponse<T>(Response response, T? value) : NullableResponse<T>
{
    public override bool HasValue => value is not null;

    public override T Value => value ?? throw new InvalidOperationException(
        $"The resource does not exist (HTTP {response.Status}); check {nameof(HasValue)} first.");

    public override Response GetRawResponse() => response;
}
