namespace Microsoft.ML.AutoAssist;

/// <summary>Writes and reads the weight arrays of the built-in Assistants' saved states, checking that a state fits the Assistant it is loaded into.</summary>
internal static class AssistantState
{
    public static void Write(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
            writer.Write(value);
    }

    /// <summary>Reads into <paramref name="values"/>, which must have the saved length (the same rows give the same layout).</summary>
    public static void Read(BinaryReader reader, float[] values, string what)
    {
        int length = reader.ReadInt32();
        if (length != values.Length)
            throw new InvalidDataException($"The saved Assistant has {length} {what}, this one {values.Length}: it was saved on other training rows or with other settings.");
        for (int i = 0; i < length; i++)
            values[i] = reader.ReadSingle();
    }
}
