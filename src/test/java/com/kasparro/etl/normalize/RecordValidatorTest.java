package com.kasparro.etl.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.source.UnifiedField;
import com.kasparro.etl.support.BuiltInSources;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {

    /** The rule as it was first written, as a regex: the scanner must agree with it everywhere. */
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)");

    @Test
    void parseDecimalAcceptsExactlyPlainDecimals() {
        List<String> inputs = List.of("699", "1299", "250.50", " 29.99 ", "5.", ".5", "-.5", "-3", "0", "0.000",
                "007", "", " ", ".", "-", "-.", "--1", "1.2.3", "1e3", "+5", "1,5", "not_a_number", "12a",
                "\t42\t", "\u0001 7", "\u00a07", "٣", "1 000", "NaN", "Infinity", "99999999999999999999.123456789");
        for (String in : inputs) {
            BigDecimal parsed = RecordValidator.parseDecimal(in);
            boolean plain = PLAIN_DECIMAL.matcher(in.trim()).matches();
            assertThat(parsed).as("'%s'", in).isEqualTo(plain ? new BigDecimal(in.trim()) : null);
        }
    }

    @Test
    void aRowsKeyIsTheExternalIdValidationMakesOfIt() {
        Function<CandidateRecord, String> keys = RecordValidator.keys(BuiltInSources.registry().get("products_csv"));
        assertThat(keys.apply(row("  P1 "))).isEqualTo(keys.apply(row("P1"))).isEqualTo("P1");
        assertThat(keys.apply(row("   "))).isNull();
        assertThat(keys.apply(row(null))).isNull();
    }

    private static CandidateRecord row(String externalId) {
        String[] fields = CandidateRecord.noFields();
        fields[UnifiedField.EXTERNAL_ID.ordinal()] = externalId;
        return new CandidateRecord(2, "", "{}", fields, null, null);
    }
}
