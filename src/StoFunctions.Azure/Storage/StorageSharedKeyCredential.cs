using System.Security.Cryptography;
using System.Text;

namespace StoFunctions.Azure.Storage;

/// <summary>An account name and its base64 account key, used to sign requests with Shared Key.</summary>
public sealed class StorageSharedKeyCredential
{
    private readonly byte[] _key;

    /// <summary>Creates the credential.</summary>
    /// <exception cref="FormatException">The key is not base64.</exception>
    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException e)
        {
            throw new FormatException($"The account key of storage account '{accountName}' is not valid base64; copy it again from the portal or Azurite's README.", e);
        }
    }

    /// <summary>The storage account name.</summary>
    public string AccountName { get; }

    internal string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
}
