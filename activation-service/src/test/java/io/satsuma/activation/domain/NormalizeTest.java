package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vendors' normalisation rules (CHANNELS.md) against hostile inputs; empty means "send nothing". */
class NormalizeTest {

    @ParameterizedTest(name = "email [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "'  Ada.Lovelace@Example.COM '| ada.lovelace@example.com",
            "ADA@EXAMPLE.COM            | ada@example.com",
            "'ada @example.com'         | NULL",
            "@example.com               | NULL",
            "ada@                       | NULL",
            "a@b@c                      | NULL",
            "''                         | NULL"})
    void emailForMetaAndKlaviyo(String raw, String expected) {
        assertThat(Normalize.email(raw).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "google email [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "' John.Doe+shop@GoogleMail.com'| johndoe@googlemail.com",
            "j.o.h.n+a+b@gmail.com          | john@gmail.com",
            "'Jo hn@gmail.com'              | john@gmail.com",
            "john.doe+x@example.com         | john.doe+x@example.com",
            "+only@gmail.com                | NULL"})
    void emailForGoogleRemovesGmailDotsAndTagsOnly(String raw, String expected) {
        assertThat(Normalize.googleEmail(raw).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "phone [{0}] -> meta [{1}], google [{2}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "+447700900123     | 447700900123 | +447700900123",
            "+1 (415) 555-0123 | 14155550123  | +14155550123",
            "00447700900123    | 447700900123 | +447700900123",
            "12                | NULL         | NULL"})
    void phonesAreDigitsWithCountryCode(String e164, String meta, String google) {
        assertThat(Normalize.metaPhone(e164).orElse(null)).isEqualTo(meta);
        assertThat(Normalize.googlePhone(e164).orElse(null)).isEqualTo(google);
    }

    @ParameterizedTest(name = "meta {0} [{1}] -> [{2}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "FN      | ' Zoë-Anne '   | zoeanne",
            "LN      | O'Brien        | obrien",
            "CT      | 'San Francisco'| sanfrancisco",
            "FI      | ' ada'         | a",
            "ZIP     | '94107-1234'   | 94107",
            "ZIP     | 'SW1A 1AA'     | sw1a1aa",
            "COUNTRY | ' GB '         | gb",
            "COUNTRY | Great Britain  | NULL",
            "GEN     | Female         | f",
            "GEN     | x              | NULL",
            "DOBY    | 1815           | 1815",
            "DOBY    | 15             | NULL",
            "DOBM    | 3              | 03",
            "DOBM    | 13             | NULL",
            "DOBD    | 10             | 10",
            "FN      | '  '           | NULL"})
    void metaKeys(String key, String raw, String expected) {
        assertThat(Normalize.metaKey(key, raw).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "google name [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "'  Mrs. Mary   Ann ' | mary ann",
            "Dr Lee               | lee",
            "'...'                | NULL"})
    void googleNames(String raw, String expected) {
        assertThat(Normalize.googleName(raw).orElse(null)).isEqualTo(expected);
    }
}
