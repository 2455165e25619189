package com.kasparro.etl.config;

import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.quartz.CronExpression;
import org.quartz.Scheduler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camel's quartz component runs on Spring Boot's Quartz scheduler: a JDBC job store in the
 * service's PostgreSQL, clustered (see {@code spring.quartz.*} in application.yml). That makes
 * each json-api source's ticks single-active across replicas. (The inbox polls on every replica;
 * claims in PostgreSQL share the files out.)
 */
@Configuration(proxyBeanMethods = false)
public class QuartzConfiguration {

    @Bean
    ComponentCustomizer clusteredQuartz(Scheduler scheduler, EtlProperties properties) {
        // Each replica's own inbox poll runs on Spring's scheduler (six fields, no year).
        if (!org.springframework.scheduling.support.CronExpression.isValidExpression(
                properties.inbox().pollSchedule().trim())) {
            throw new InvalidSettingException("etl.inbox.poll-schedule", properties.inbox().pollSchedule(),
                    "not a valid cron expression (seconds minutes hours day-of-month month day-of-week)");
        }
        return ComponentCustomizer.builder(QuartzComponent.class)
                .build(quartz -> quartz.setScheduler(scheduler));
    }

    static void requireCron(String property, String cron) {
        if (!CronExpression.isValidExpression(cron.trim())) {
            throw new InvalidSettingException(property, cron,
                    "not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year])");
        }
    }
}
