using Soci.Actors.Registry.Oci;

namespace Soci.Actors.Conversion;

/// <summary>The converted image: the new OCI index's descriptor and the SOCI index bound for each platform.</summary>
public sealed record ConversionResult(OciDescriptor Index, IReadOnlyList<SociIndexBinding> Bindings);
