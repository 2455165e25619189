package com.kasparro.etl.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.config.EtlProperties;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** For tests of the running service: each test starts with empty tables and an empty inbox. */
public abstract class ServiceTestSupport {

    @Autowired
    protected EtlProperties properties;
    @Autowired
    protected JdbcTemplate jdbcTemplate;
    @Autowired
    protected ObjectMapper json;
    @LocalServerPort
    protected int port;

    protected TestDatabase db;
    protected Inbox inbox;

    @BeforeEach
    void resetDatabaseAndInbox() throws Exception {
        db = new TestDatabase(jdbcTemplate);
        db.reset();
        inbox = new Inbox(properties.inbox().path()).clear();
    }
}
