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
 * the inbox polls and each json-api source's ticks single-active across replicas.
 */
@Configuration(proxyBeanMethods = false)
public class QuartzConfiguration {

    @Bean
    ComponentCustomizer clusteredQuartz(Scheduler scheduler, EtlProperties properties) {
        requireCron("etl.inbox.poll-schedule", properties.inbox().pollSchedule());
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
