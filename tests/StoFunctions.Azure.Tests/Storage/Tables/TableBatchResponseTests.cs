using StoFunctions.Azure.Storage.Tables;

namespace StoFunctions.Azure.Tests.Storage.Tables;

public sealed class TableBatchResponseTests
{
    // Layout of the documented sample error response ("Performing entity group transactions").
    private const string FailedBatch =
        "--batchresponse_e69b1c6c\r\n" +
        "Content-Type: multipart/mixed; boundary=changesetresponse_f9d4d68c\r\n\r\n" +
        "--changesetresponse_f9d4d68c\r\n" +
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 409 Conflict\r\nContent-ID: 2\r\nContent-Type: application/json;odata=minimalmetadata;charset=utf-8\r\nCache-Control: no-cache\r\n\r\n" +
        "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"1:The specified entity already exists.\"}}}\r\n" +
        "--changesetresponse_f9d4d68c--\r\n" +
        "--batchresponse_e69b1c6c--\r\n";

    [Fact]
    public void Nested_failure_response_yields_one_sub_response_with_status_and_body()
    {
        TableBatchResponse.SubResponse part = Assert.Single(TableBatchResponse.Parse("multipart/mixed; boundary=batchresponse_e69b1c6c", FailedBatch));
        Assert.Equal(409, part.Status);
        Assert.Equal("2", part.Headers["Content-ID"]);
        Assert.Equal("{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"1:The specified entity already exists.\"}}}", part.Body);
    }

    [Fact]
    public void Success_response_with_lf_line_endings_yields_parts_in_order_with_etags()
    {
        string body =
            "--batchresponse_1\nContent-Type: multipart/mixed; boundary=changesetresponse_2\n\n" +
            "--changesetresponse_2\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n\nHTTP/1.1 204 No Content\nETag: W/\"a\"\n\n\n" +
            "--changesetresponse_2\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n\nHTTP/1.1 201 Created\nETag: W/\"b\"\n\n{}\n" +
            "--changesetresponse_2--\n--batchresponse_1--\n";
        IReadOnlyList<TableBatchResponse.SubResponse> parts = TableBatchResponse.Parse("multipart/mixed; boundary=\"batchresponse_1\"", body);
        Assert.Equal([(204, "W/\"a\""), (201, "W/\"b\"")], parts.Select(p => (p.Status, p.Headers["ETag"])));
        Assert.Equal("{}", parts[1].Body);
    }

    [Fact]
    public void Missing_boundary_or_status_line_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => TableBatchResponse.Parse("multipart/mixed", "x"));
        Assert.Throws<FormatException>(() => TableBatchResponse.Parse("multipart/mixed; boundary=b",
            "--b\nContent-Type: application/http\n\nnot a status line\n--b--\n"));
    }
}
