namespace CustomerGrains.Grains.Profiles;

/// <summary>
/// ISO 3166-1: the 249 officially assigned countries and territories, each as alpha-2, alpha-3 and English short
/// name, plus common English forms and a few names in the country's own language. A country is found by any of
/// them, in any case, with or without accents, punctuation, spaces or a leading "the" ("U.S.A.", "the Netherlands",
/// "Cote d'Ivoire", "St Lucia").
/// </summary>
/// <remarks>
/// A table of our own rather than <see cref="System.Globalization.RegionInfo"/>: RegionInfo reads the machine's ICU
/// data, which differs between machines and versions (and is absent with invariant globalization), and a customer's
/// profile must read the same on every silo and in every replay. The table changes only when ISO changes it.
/// </remarks>
public static class Countries
{
    /// <summary>alpha-2, alpha-3, English short name (ISO 3166-1, 2024).</summary>
    private const string Iso3166 = """
        AD AND Andorra
        AE ARE United Arab Emirates
        AF AFG Afghanistan
        AG ATG Antigua and Barbuda
        AI AIA Anguilla
        AL ALB Albania
        AM ARM Armenia
        AO AGO Angola
        AQ ATA Antarctica
        AR ARG Argentina
        AS ASM American Samoa
        AT AUT Austria
        AU AUS Australia
        AW ABW Aruba
        AX ALA Åland Islands
        AZ AZE Azerbaijan
        BA BIH Bosnia and Herzegovina
        BB BRB Barbados
        BD BGD Bangladesh
        BE BEL Belgium
        BF BFA Burkina Faso
        BG BGR Bulgaria
        BH BHR Bahrain
        BI BDI Burundi
        BJ BEN Benin
        BL BLM Saint Barthélemy
        BM BMU Bermuda
        BN BRN Brunei Darussalam
        BO BOL Bolivia (Plurinational State of)
        BQ BES Bonaire, Sint Eustatius and Saba
        BR BRA Brazil
        BS BHS Bahamas
        BT BTN Bhutan
        BV BVT Bouvet Island
        BW BWA Botswana
        BY BLR Belarus
        BZ BLZ Belize
        CA CAN Canada
        CC CCK Cocos (Keeling) Islands
        CD COD Congo, Democratic Republic of the
        CF CAF Central African Republic
        CG COG Congo
        CH CHE Switzerland
        CI CIV Côte d'Ivoire
        CK COK Cook Islands
        CL CHL Chile
        CM CMR Cameroon
        CN CHN China
        CO COL Colombia
        CR CRI Costa Rica
        CU CUB Cuba
        CV CPV Cabo Verde
        CW CUW Curaçao
        CX CXR Christmas Island
        CY CYP Cyprus
        CZ CZE Czechia
        DE DEU Germany
        DJ DJI Djibouti
        DK DNK Denmark
        DM DMA Dominica
        DO DOM Dominican Republic
        DZ DZA Algeria
        EC ECU Ecuador
        EE EST Estonia
        EG EGY Egypt
        EH ESH Western Sahara
        ER ERI Eritrea
        ES ESP Spain
        ET ETH Ethiopia
        FI FIN Finland
        FJ FJI Fiji
        FK FLK Falkland Islands (Malvinas)
        FM FSM Micronesia (Federated States of)
        FO FRO Faroe Islands
        FR FRA France
        GA GAB Gabon
        GB GBR United Kingdom of Great Britain and Northern Ireland
        GD GRD Grenada
        GE GEO Georgia
        GF GUF French Guiana
        GG GGY Guernsey
        GH GHA Ghana
        GI GIB Gibraltar
        GL GRL Greenland
        GM GMB Gambia
        GN GIN Guinea
        GP GLP Guadeloupe
        GQ GNQ Equatorial Guinea
        GR GRC Greece
        GS SGS South Georgia and the South Sandwich Islands
        GT GTM Guatemala
        GU GUM Guam
        GW GNB Guinea-Bissau
        GY GUY Guyana
        HK HKG Hong Kong
        HM HMD Heard Island and McDonald Islands
        HN HND Honduras
        HR HRV Croatia
        HT HTI Haiti
        HU HUN Hungary
        ID IDN Indonesia
        IE IRL Ireland
        IL ISR Israel
        IM IMN Isle of Man
        IN IND India
        IO IOT British Indian Ocean Territory
        IQ IRQ Iraq
        IR IRN Iran (Islamic Republic of)
        IS ISL Iceland
        IT ITA Italy
        JE JEY Jersey
        JM JAM Jamaica
        JO JOR Jordan
        JP JPN Japan
        KE KEN Kenya
        KG KGZ Kyrgyzstan
        KH KHM Cambodia
        KI KIR Kiribati
        KM COM Comoros
        KN KNA Saint Kitts and Nevis
        KP PRK Korea (Democratic People's Republic of)
        KR KOR Korea, Republic of
        KW KWT Kuwait
        KY CYM Cayman Islands
        KZ KAZ Kazakhstan
        LA LAO Lao People's Democratic Republic
        LB LBN Lebanon
        LC LCA Saint Lucia
        LI LIE Liechtenstein
        LK LKA Sri Lanka
        LR LBR Liberia
        LS LSO Lesotho
        LT LTU Lithuania
        LU LUX Luxembourg
        LV LVA Latvia
        LY LBY Libya
        MA MAR Morocco
        MC MCO Monaco
        MD MDA Moldova, Republic of
        ME MNE Montenegro
        MF MAF Saint Martin (French part)
        MG MDG Madagascar
        MH MHL Marshall Islands
        MK MKD North Macedonia
        ML MLI Mali
        MM MMR Myanmar
        MN MNG Mongolia
        MO MAC Macao
        MP MNP Northern Mariana Islands
        MQ MTQ Martinique
        MR MRT Mauritania
        MS MSR Montserrat
        MT MLT Malta
        MU MUS Mauritius
        MV MDV Maldives
        MW MWI Malawi
        MX MEX Mexico
        MY MYS Malaysia
        MZ MOZ Mozambique
        NA NAM Namibia
        NC NCL New Caledonia
        NE NER Niger
        NF NFK Norfolk Island
        NG NGA Nigeria
        NI NIC Nicaragua
        NL NLD Netherlands (Kingdom of the)
        NO NOR Norway
        NP NPL Nepal
        NR NRU Nauru
        NU NIU Niue
        NZ NZL New Zealand
        OM OMN Oman
        PA PAN Panama
        PE PER Peru
        PF PYF French Polynesia
        PG PNG Papua New Guinea
        PH PHL Philippines
        PK PAK Pakistan
        PL POL Poland
        PM SPM Saint Pierre and Miquelon
        PN PCN Pitcairn
        PR PRI Puerto Rico
        PS PSE Palestine, State of
        PT PRT Portugal
        PW PLW Palau
        PY PRY Paraguay
        QA QAT Qatar
        RE REU Réunion
        RO ROU Romania
        RS SRB Serbia
        RU RUS Russian Federation
        RW RWA Rwanda
        SA SAU Saudi Arabia
        SB SLB Solomon Islands
        SC SYC Seychelles
        SD SDN Sudan
        SE SWE Sweden
        SG SGP Singapore
        SH SHN Saint Helena, Ascension and Tristan da Cunha
        SI SVN Slovenia
        SJ SJM Svalbard and Jan Mayen
        SK SVK Slovakia
        SL SLE Sierra Leone
        SM SMR San Marino
        SN SEN Senegal
        SO SOM Somalia
        SR SUR Suriname
        SS SSD South Sudan
        ST STP Sao Tome and Principe
        SV SLV El Salvador
        SX SXM Sint Maarten (Dutch part)
        SY SYR Syrian Arab Republic
        SZ SWZ Eswatini
        TC TCA Turks and Caicos Islands
        TD TCD Chad
        TF ATF French Southern Territories
        TG TGO Togo
        TH THA Thailand
        TJ TJK Tajikistan
        TK TKL Tokelau
        TL TLS Timor-Leste
        TM TKM Turkmenistan
        TN TUN Tunisia
        TO TON Tonga
        TR TUR Türkiye
        TT TTO Trinidad and Tobago
        TV TUV Tuvalu
        TW TWN Taiwan, Province of China
        TZ TZA Tanzania, United Republic of
        UA UKR Ukraine
        UG UGA Uganda
        UM UMI United States Minor Outlying Islands
        US USA United States of America
        UY URY Uruguay
        UZ UZB Uzbekistan
        VA VAT Holy See
        VC VCT Saint Vincent and the Grenadines
        VE VEN Venezuela (Bolivarian Republic of)
        VG VGB Virgin Islands (British)
        VI VIR Virgin Islands (U.S.)
        VN VNM Viet Nam
        VU VUT Vanuatu
        WF WLF Wallis and Futuna
        WS WSM Samoa
        YE YEM Yemen
        YT MYT Mayotte
        ZA ZAF South Africa
        ZM ZMB Zambia
        ZW ZWE Zimbabwe
        """;

    /// <summary>Other names in use for the countries above, by alpha-2; Latin-script own names for some large markets.</summary>
    private static readonly (string Code, string[] Names)[] OtherNames =
    [
        ("BO", ["Bolivia"]),
        ("BQ", ["Bonaire", "Caribbean Netherlands"]),
        ("BN", ["Brunei"]),
        ("CD", ["Democratic Republic of the Congo", "DR Congo", "DRC", "Congo-Kinshasa"]),
        ("CG", ["Republic of the Congo", "Congo-Brazzaville"]),
        ("CI", ["Ivory Coast"]),
        ("CV", ["Cape Verde"]),
        ("CZ", ["Czech Republic"]),
        ("FK", ["Falkland Islands"]),
        ("FM", ["Micronesia"]),
        ("GB", ["United Kingdom", "UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"]),
        ("IR", ["Iran"]),
        ("KP", ["North Korea"]),
        ("KR", ["South Korea", "Republic of Korea"]),
        ("LA", ["Laos"]),
        ("MD", ["Moldova"]),
        ("MF", ["Saint Martin"]),
        ("MK", ["Macedonia"]),
        ("MM", ["Burma"]),
        ("MO", ["Macau"]),
        ("NL", ["Netherlands", "Holland", "Nederland"]),
        ("PS", ["Palestine"]),
        ("RU", ["Russia"]),
        ("SH", ["Saint Helena"]),
        ("SX", ["Sint Maarten"]),
        ("SY", ["Syria"]),
        ("SZ", ["Swaziland"]),
        ("TL", ["East Timor"]),
        ("TR", ["Turkey"]),
        ("TW", ["Taiwan"]),
        ("TZ", ["Tanzania"]),
        ("US", ["United States"]),
        ("VA", ["Vatican", "Vatican City"]),
        ("VE", ["Venezuela"]),
        ("VG", ["British Virgin Islands"]),
        ("VI", ["US Virgin Islands"]),
        ("VN", ["Vietnam"]),
        ("AT", ["Österreich"]),
        ("BR", ["Brasil"]),
        ("CH", ["Schweiz", "Suisse", "Svizzera"]),
        ("DE", ["Deutschland"]),
        ("DK", ["Danmark"]),
        ("ES", ["España"]),
        ("FI", ["Suomi"]),
        ("GR", ["Hellas", "Ellada"]),
        ("IT", ["Italia"]),
        ("MX", ["México"]),
        ("NO", ["Norge"]),
        ("PL", ["Polska"]),
        ("SE", ["Sverige"]),
    ];

    private static readonly Dictionary<string, string> ByKey = Build();

    /// <summary>Every alpha-2 code of the table (249 while ISO assigns 249).</summary>
    public static IReadOnlySet<string> Codes { get; } = ByKey.Values.ToHashSet(StringComparer.Ordinal);

    /// <summary>The alpha-2 code of a country given by alpha-2, alpha-3 or name; null when it names none.</summary>
    public static string? Find(string text) => ByKey.GetValueOrDefault(Key(text));

    /// <summary>
    /// Letters and digits only, lower-case, accents folded; "st" as a word is "saint", "&amp;" is "and", a leading
    /// "the" is dropped. Two or three letters are a code, so "u.s." finds US as "us" does.
    /// </summary>
    private static string Key(string text)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(Fold(char.ToLowerInvariant(c)));
            }
            else
            {
                if (c == '&')
                {
                    Flush(words, word);
                    words.Add("and");
                }

                // An apostrophe joins ("d'Ivoire"): words end at anything else that is not a letter or digit.
                if (c is not ('\'' or '’'))
                {
                    Flush(words, word);
                }
            }
        }

        Flush(words, word);
        if (words is ["the", _, ..])
        {
            words.RemoveAt(0);
        }

        return string.Concat(words.Select(w => w == "st" ? "saint" : w));
    }

    private static void Flush(List<string> words, System.Text.StringBuilder word)
    {
        if (word.Length > 0)
        {
            words.Add(word.ToString());
            word.Clear();
        }
    }

    /// <summary>The accented letters of Latin-script country names, without them; a table, not Unicode normalisation, so it reads alike everywhere.</summary>
    private static char Fold(char c) => c switch
    {
        'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' => 'a',
        'ç' => 'c',
        'è' or 'é' or 'ê' or 'ë' => 'e',
        'ì' or 'í' or 'î' or 'ï' => 'i',
        'ñ' => 'n',
        'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' => 'o',
        'ù' or 'ú' or 'û' or 'ü' => 'u',
        'ý' or 'ÿ' => 'y',
        _ => c,
    };

    private static Dictionary<string, string> Build()
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Iso3166.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (alpha2, alpha3, name) = (line[..2], line[3..6], line[7..]);
            Add(byKey, alpha2, alpha2);
            Add(byKey, alpha3, alpha2);
            Add(byKey, name, alpha2);

            // "Bolivia (Plurinational State of)", "Korea, Republic of": the part before the qualifier is the name in use,
            // unless it is shared ("Congo", "Korea", "Virgin Islands" are two countries each: those are named above).
            if (name.IndexOfAny(['(', ',']) is > 0 and var cut && !IsShared(name[..cut]))
            {
                Add(byKey, name[..cut], alpha2);
            }
        }

        foreach (var (code, names) in OtherNames)
        {
            foreach (var name in names)
            {
                Add(byKey, name, code);
            }
        }

        return byKey;
    }

    private static bool IsShared(string name) => Key(name) is "congo" or "korea" or "virginislands";

    private static void Add(Dictionary<string, string> byKey, string name, string code)
    {
        // Two countries under one key would make a lookup depend on the table's order: the table must not have any.
        if (!byKey.TryAdd(Key(name), code) && byKey[Key(name)] != code)
        {
            throw new InvalidOperationException($"'{name}' names both {byKey[Key(name)]} and {code}");
        }
    }
}
