using Microsoft.Extensions.Options;

namespace StoFunctions.Runtime;

/// <summary>Validates trigger options at host start with every broken rule spelled out (key, value, fix).</summary>
internal sealed class OptionsRules<TOptions>(Func<TOptions, IEnumerable<string>> rules) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = rules(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
