package lab.devicetwins.localhub.query;

import static lab.devicetwins.localhub.query.TwinDocument.twin;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every operator and function of WHERE, evaluated against five twins chosen so that each condition
 * separates them: numbers vs strings vs booleans vs null, missing paths, both tag layouts of the tutorial.
 */
class TwinQueryConditionTest {

    private static TwinTable table;
    private final TwinQueryEngine engine = new TwinQueryEngine();

    @BeforeAll
    static void fill_the_table() {
        table = new TwinTable()
                .put(twin("alpha").with("connectionState", "Connected")
                        .with("tags.location.plant", "Redmond43").with("tags.location.region", "US")
                        .with("properties.desired.telemetryInterval", 30)
                        .with("properties.reported.telemetryInterval", 30)
                        .with("properties.reported.connectivityType", "cellular")
                        .with("properties.reported.HomeTemp(F)", 71)
                        .with("properties.reported.isOn", true)
                        .with("properties.reported.level", 5)
                        .with("properties.reported.name", "Thermostat-A").json())
                .put(twin("bravo")
                        .with("tags.location.plant", "Redmond43").with("tags.location.region", "US")
                        .with("properties.desired.telemetryInterval", 60)
                        .with("properties.reported.telemetryInterval", 30)
                        .with("properties.reported.connectivityType", "wifi")
                        .with("properties.reported.HomeTemp(F)", 68.5)
                        .with("properties.reported.isOn", false)
                        .with("properties.reported.level", 2)
                        .with("properties.reported.name", "thermostat-b").json())
                // The article's layout: the plant tag directly under tags.
                .put(twin("charlie")
                        .with("tags.plant", "Redmond43")
                        .with("properties.reported.connectivityType", "cellular")
                        .with("properties.reported.isOn", 1)
                        .with("properties.reported.level", "5")
                        .with("properties.reported.name", "Sensor it's").json())
                .put(twin("delta")
                        .with("tags.location.plant", "Seattle").with("tags.location.region", "EU")
                        .withJson("properties.reported.connectivityType", "null")
                        .withJson("properties.reported.level", "null")
                        .withJson("properties.reported.config", "{\"mode\":\"eco\"}")
                        .withJson("properties.reported.list", "[1,2]")
                        .with("properties.reported.name", "Back\\slash \"quoted\"").json())
                .put(twin("echo").with("status", "disabled").json());
    }

    @ParameterizedTest(name = "WHERE {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # the tutorial article's two queries, and the devguide's tag layout
            tags.plant = 'Redmond43'                                                          | charlie
            tags.plant = 'Redmond43' AND properties.reported.connectivityType = 'cellular'    | charlie
            tags.location.plant = 'Redmond43'                                                 | alpha bravo
            tags.location.plant = "Redmond43" AND properties.reported.connectivityType = 'cellular' | alpha
            # comparisons: only same-kind primitives compare, missing paths never match
            properties.reported.level = 5                     | alpha
            properties.reported.level = '5'                   | charlie
            properties.reported.level != 5                    | bravo
            properties.reported.level <> 2                    | alpha
            properties.reported.level > 3                     | alpha
            properties.reported.level >= 2                    | alpha bravo
            properties.reported.level < 3                     | bravo
            properties.reported.level <= 5                    | alpha bravo
            properties.reported.level < 'z'                   | charlie
            tags.location.plant > 'S'                         | delta
            properties.reported.level = null                  | delta
            properties.reported.connectivityType = null       | delta
            properties.reported.level = undefined             | ``
            properties.reported.missing != 1                  | ``
            properties.reported.config = properties.reported.config | ``
            properties.reported.list = [1, 2]                 | ``
            properties.reported.config.mode = 'eco'           | delta
            properties.desired.telemetryInterval = properties.reported.telemetryInterval | alpha
            # booleans are not the numbers 1 and 0
            properties.reported.isOn = true                   | alpha
            properties.reported.isOn = false                  | bravo
            properties.reported.isOn = 1                      | charlie
            properties.reported.isOn > false                  | alpha
            properties.reported.isOn                          | alpha
            NOT properties.reported.isOn                      | bravo
            # a condition is true only if it is boolean true
            true                                              | alpha bravo charlie delta echo
            false                                             | ``
            'true'                                            | ``
            1                                                 | ``
            null                                              | ``
            properties.reported.level                         | ``
            # logic: NOT of undefined stays undefined
            NOT (properties.reported.level = 5)               | bravo
            NOT properties.reported.level = 5                 | bravo
            status = 'disabled' OR tags.plant = 'Redmond43'   | charlie echo
            (tags.location.region = 'US' OR tags.location.region = 'EU') AND NOT properties.reported.isOn | bravo
            NOT (properties.reported.level = 5 AND properties.reported.isOn = true) | bravo
            NOT (properties.reported.level = 7 OR properties.reported.name = 'x') | alpha bravo
            # IN and NIN with array constants
            properties.reported.level IN [2, 5]               | alpha bravo
            properties.reported.level IN ['5', 7]             | charlie
            properties.reported.level NIN [5]                 | bravo
            properties.reported.level NIN ['5', 7]            | ``
            properties.reported.connectivityType IN ['wifi', null] | bravo delta
            properties.reported.isOn IN [true]                | alpha
            deviceId NIN ['alpha', 'bravo', 'charlie']        | delta echo
            # strings: both quote styles, escapes
            properties.reported.name = 'Sensor it\\'s'        | charlie
            properties.reported.name = "Sensor it's"          | charlie
            properties.reported.name = 'Sensor it\\u0027s'    | charlie
            properties.reported.name = "Back\\\\slash \\"quoted\\"" | delta
            # numbers: decimal, exponent, hex
            properties.reported['HomeTemp(F)'] = 68.5         | bravo
            properties.reported["HomeTemp(F)"] = 6.85e1       | bravo
            properties.reported['HomeTemp(F)'] > 70           | alpha
            properties.reported.level = 0x5                   | alpha
            0x0A / 2 = properties.reported.level              | alpha
            # arithmetic
            properties.reported.level * 2 + 1 = 11            | alpha
            (properties.reported.level + 1) * 2 = 6           | bravo
            properties.reported.level / 4 = 0.5               | bravo
            properties.reported.level % 3 = 2                 | alpha bravo
            -properties.reported.level = -5                   | alpha
            properties.reported.level - 1 = 4                 | alpha
            properties.reported.level / 0 = 1                 | ``
            properties.reported.level + 1 = 6                 | alpha
            # system properties are case-insensitive, as are properties.desired/reported
            STATUS = 'disabled'                               | echo
            connectionstate = 'Connected'                     | alpha
            properties.Reported.level = 5                     | alpha
            DeviceID = 'delta'                                | delta
            # type checks
            IS_DEFINED(properties.reported.level)             | alpha bravo charlie delta
            NOT IS_DEFINED(tags.location)                     | charlie echo
            is_defined(properties.reported.level / 0)         | ``
            IS_NULL(properties.reported.level)                | delta
            IS_NUMBER(properties.reported.level)              | alpha bravo
            IS_STRING(properties.reported.level)              | charlie
            IS_BOOL(properties.reported.isOn)                 | alpha bravo
            IS_OBJECT(properties.reported.config)             | delta
            IS_ARRAY(properties.reported.list)                | delta
            IS_PRIMITIVE(properties.reported.level)           | alpha bravo charlie delta
            NOT IS_NUMBER(properties.reported.level)          | charlie delta echo
            # string functions
            STARTS_WITH(properties.reported.name, 'Thermo')   | alpha
            ENDS_WITH(properties.reported.name, '-b')         | bravo
            ENDS_WITH(properties.reported.name, '')           | alpha bravo charlie delta
            CONTAINS(properties.reported.name, "it's")        | charlie
            NOT CONTAINS(properties.reported.name, 'stat')    | charlie delta
            LOWER(properties.reported.name) = 'thermostat-a'  | alpha
            UPPER(properties.reported.name) = 'THERMOSTAT-B'  | bravo
            LENGTH(properties.reported.name) = 12             | alpha bravo
            CONCAT(tags.location.plant, '-', tags.location.region) = 'Redmond43-US' | alpha bravo
            SUBSTRING(tags.location.plant, 0, 7) = 'Redmond'  | alpha bravo
            SUBSTRING(tags.location.plant, 7) = '43'          | alpha bravo
            INDEX_OF(tags.location.plant, '43') = 7           | alpha bravo
            INDEX_OF(tags.location.plant, 'x') = -1           | alpha bravo delta
            STARTS_WITH(properties.reported.level, '5')       | charlie
            # math functions
            ABS(properties.reported.level - 10) = 5           | alpha
            CEILING(properties.reported['HomeTemp(F)']) = 69  | bravo
            FLOOR(properties.reported['HomeTemp(F)']) = 68    | bravo
            SIGN(properties.reported.level - 3) = -1          | bravo
            SQRT(properties.reported.level * 2) = 2           | bravo
            POWER(properties.reported.level, 2) = 25          | alpha
            SQUARE(properties.reported.level) = 4             | bravo
            EXP(0) = 1                                        | alpha bravo charlie delta echo
            AS_NUMBER(properties.reported.level) = 5          | alpha charlie
            AS_NUMBER(properties.reported.name) = 5           | ``
            # a condition used as a value
            (properties.reported.level = 5) = true            | alpha
            IS_DEFINED(tags.plant) = false                    | alpha bravo delta echo
            """)
    void a_condition_selects_exactly_the_twins_it_is_true_for(String condition, String expectedDevices) {
        QueryPage page = engine.execute(table, "SELECT * FROM devices WHERE " + condition, 100, null);

        List<String> expected = expectedDevices.isBlank() ? List.of() : Arrays.asList(expectedDevices.split(" "));
        assertThat(page.items()).extracting(twin -> twin.get("deviceId").getAsString())
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            select * from devices where tags.plant = 'Redmond43'
            Select * From Devices Where tags.plant = 'Redmond43' And Not false
            SELECT * FROM devices WHERE tags.plant='Redmond43'
            SELECT *\\nFROM devices\\nWHERE tags.plant = 'Redmond43'
            """)
    void keywords_and_layout_do_not_change_the_answer(String query) {
        QueryPage page = engine.execute(table, query.replace("\\n", "\n"), null, null);

        assertThat(page.items()).extracting(twin -> twin.get("deviceId").getAsString()).containsExactly("charlie");
    }
}
